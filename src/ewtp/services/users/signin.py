"""Sign in, resume and sign out: server-side sessions behind an opaque cookie.

A sign-in always starts a NEW session (and ends the one the browser came with), so a
session id planted before sign-in is worthless after it (session fixation).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from ewtp.domain.accounts import Account
from ewtp.domain.errors import Unauthenticated
from ewtp.domain.users import (
    SessionPolicy,
    SignInPolicy,
    TooManyAttempts,
    User,
    WebSession,
    normalize_email,
)
from ewtp.domain.users.limits import after_failure, retry_after
from ewtp.domain.users.sessions import SessionState, session_state
from ewtp.services.users.ports import AbstractPasswordHasher, UsersUnitOfWork
from ewtp.services.users.tokens import digest_of, new_token

__all__ = ["SignedIn", "resume_session", "sign_in", "sign_out", "start_session"]

# Verified when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$sueQZ50issp8obnexS1epw$e/Cv9FUOP8a9DPpPuL/i3jP9BaGxaF6S8GF3n4LVmU4"


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who the browser is: the user, their account, and the session (with its CSRF token)."""

    user: User
    account: Account
    session: WebSession
    token: str | None = None  # the cookie value, only right after sign-in


def start_session(uow: UsersUnitOfWork, user: User, now: datetime) -> tuple[str, WebSession]:
    """A new session row for `user` inside the caller's transaction."""
    token = new_token()
    session = WebSession(
        digest=digest_of(token),
        user_id=user.id,
        csrf_token=new_token(),
        created_at=now,
        last_seen_at=now,
    )
    uow.sessions.add(session)
    return token, session


def _refuse_if_limited(
    uow: UsersUnitOfWork, keys: list[tuple[str, int]], policy: SignInPolicy, now: datetime
) -> None:
    for key, limit in keys:
        wait = retry_after(uow.attempts.get(key), limit, policy.window, now)
        if wait:
            minutes = max(1, (wait + 59) // 60)
            what = "this e-mail address" if key.startswith("email:") else "your network address"
            raise TooManyAttempts(
                f"too many failed sign-ins for {what}; try again in {minutes} minute"
                + ("s" if minutes != 1 else ""),
                field="email",
                retry_after=wait,
            )


def sign_in(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    *,
    email: str,
    password: str,
    ip: str,
    now: datetime,
    policy: SignInPolicy,
    previous_token: str | None = None,
) -> SignedIn:
    """Check the password under the per-e-mail and per-IP limits; open a fresh session."""
    address = normalize_email(email)
    email_key, ip_key = f"email:{address}", f"ip:{ip}"
    with uow:
        _refuse_if_limited(
            uow, [(email_key, policy.per_email), (ip_key, policy.per_ip)], policy, now
        )
        user = uow.users.by_email(address)
        ok = hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        account = uow.accounts.get_account(user.account_id) if user else None
        if not ok or user is None or account is None or not user.active:
            for key in (email_key, ip_key):
                uow.attempts.put(after_failure(uow.attempts.get(key), key, policy.window, now))
            uow.commit()
            raise Unauthenticated("wrong e-mail address or password", field="password")
        uow.attempts.clear(email_key)
        if hasher.needs_rehash(user.password_hash):
            user = replace(user, password_hash=hasher.hash(password))
            uow.users.update(user)
        if previous_token:
            uow.sessions.end(digest_of(previous_token), now)
        token, session = start_session(uow, user, now)
        uow.commit()
    return SignedIn(user, account, session, token)


def resume_session(
    uow: UsersUnitOfWork, token: str | None, now: datetime, policy: SessionPolicy
) -> SignedIn | None:
    """The signed-in user behind a cookie, or None (unknown, expired, ended, disabled)."""
    if not token:
        return None
    digest = digest_of(token)
    with uow:
        session = uow.sessions.get(digest)
        if session is None:
            return None
        state = session_state(session, now, policy)
        if state in (SessionState.EXPIRED, SessionState.ENDED):
            return None
        user = uow.users.get(session.user_id)
        if user is None or not user.active:
            return None
        account = uow.accounts.get_account(user.account_id)
        if account is None:
            return None
        if state is SessionState.STALE:
            uow.sessions.touch(digest, now)
            uow.commit()
            session = replace(session, last_seen_at=now)
    return SignedIn(user, account, session)


def sign_out(uow: UsersUnitOfWork, token: str | None, now: datetime) -> None:
    """End the session behind the cookie; harmless when there is none."""
    if not token:
        return
    with uow:
        uow.sessions.end(digest_of(token), now)
        uow.commit()

"""The signed-in browser behind a request, with the policies taken from settings."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.adapters.passwords import Argon2Hasher
from ewtp.config import Settings
from ewtp.domain.users import SessionPolicy, SignInPolicy
from ewtp.domain.users.sessions import SessionState, session_state
from ewtp.services.users.signin import SignedIn, resume_session
from ewtp.services.users.tokens import digest_of

__all__ = ["forget_session", "hasher_of", "session_policy", "signed_in", "signin_policy"]

_HASHERS = {True: Argon2Hasher(fast=True), False: Argon2Hasher()}
MAX_CACHED = 10_000


def session_policy(settings: Settings) -> SessionPolicy:
    return SessionPolicy(
        idle=timedelta(minutes=settings.session_idle_minutes),
        absolute=timedelta(hours=settings.session_absolute_hours),
    )


def signin_policy(settings: Settings) -> SignInPolicy:
    return SignInPolicy(
        per_email=settings.signin_max_per_email,
        per_ip=settings.signin_max_per_ip,
        window=timedelta(minutes=settings.signin_window_minutes),
    )


def hasher_of(settings: Settings) -> Argon2Hasher:
    return _HASHERS[settings.password_hash_fast]


class _Recent:
    """Sessions resolved in the last `EWTP_AUTH_CACHE_SECONDS` (as for API keys), so a
    page view costs no database read; the expiry is still checked on every request.

    Signing in or out in this process forgets the entry at once; a sign-out, password
    reset or disabling done by another process takes effect within the cache time.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_digest: dict[str, tuple[float, SignedIn]] = {}

    def get(self, digest: str, ttl: float) -> SignedIn | None:
        with self._lock:
            found = self._by_digest.get(digest)
        if found is None or time.monotonic() - found[0] > ttl:
            return None
        return found[1]

    def put(self, digest: str, who: SignedIn) -> None:
        with self._lock:
            if len(self._by_digest) >= MAX_CACHED:
                self._by_digest.clear()
            self._by_digest[digest] = (time.monotonic(), who)

    def forget(self, digest: str) -> None:
        with self._lock:
            self._by_digest.pop(digest, None)


_recent = _Recent()


def forget_session(token: str | None) -> None:
    """Drop a session that was just ended from this process's cache."""
    if token:
        _recent.forget(digest_of(token))


def signed_in(
    factory: sessionmaker[Session], settings: Settings, token: str | None
) -> SignedIn | None:
    """The user behind a session cookie value, or None."""
    if not token:
        return None
    digest = digest_of(token)
    now = utcnow()
    policy = session_policy(settings)
    cached = _recent.get(digest, settings.auth_cache_seconds)
    if cached is not None and session_state(cached.session, now, policy) is SessionState.ACTIVE:
        return cached
    who = resume_session(SqlAlchemyUsersUnitOfWork(factory), token, now, policy)
    if who is None:
        _recent.forget(digest)
    elif settings.auth_cache_seconds > 0:
        _recent.put(digest, who)
    return who

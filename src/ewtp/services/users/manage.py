"""Use cases on users: sign up, create, invite and accept, reset a password, disable,
and a user's own preferences (language, time zone)."""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from ewtp.domain.accounts import Role
from ewtp.domain.errors import Conflict, InvalidInput, NotFound
from ewtp.domain.users import Invitation, Membership, User, normalize_email, validate_password
from ewtp.services.accounts import new_account
from ewtp.services.users.ports import AbstractPasswordHasher, UsersUnitOfWork
from ewtp.services.users.signin import SignedIn, start_session
from ewtp.services.users.tokens import digest_of, new_token

__all__ = [
    "LANGUAGES",
    "IssuedInvitation",
    "accept_invitation",
    "create_user",
    "disable_user",
    "invite_user",
    "list_members",
    "open_invitation",
    "reset_password",
    "set_preferences",
    "sign_up",
]

LANGUAGES = ("en", "zh_Hans")
INVITATION_DAYS = 7


def _new_user(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    account_id: str,
    email: str,
    password: str,
    role: Membership,
    now: datetime,
    language: str | None = None,
) -> User:
    address = normalize_email(email)
    validate_password(password)
    if uow.users.by_email(address) is not None:
        raise Conflict("a user with this e-mail address already exists", field="email")
    user = User(
        id=str(uuid.uuid4()),
        account_id=account_id,
        email=address,
        password_hash=hasher.hash(password),
        role=role,
        created_at=now,
        language=language if language in LANGUAGES else None,
    )
    uow.users.add(user)
    return user


def sign_up(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    *,
    company: str,
    email: str,
    password: str,
    now: datetime,
    language: str | None = None,
) -> SignedIn:
    """A new merchant account, its owner, and the owner's first session, in one transaction."""
    account = new_account(company, Role.MERCHANT, now, field="company")
    with uow:
        uow.accounts.add_account(account)
        user = _new_user(uow, hasher, account.id, email, password, Membership.OWNER, now, language)
        token, session = start_session(uow, user, now)
        uow.commit()
    return SignedIn(user, account, session, token)


def create_user(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    *,
    account_id: str,
    email: str,
    password: str,
    role: Membership,
    now: datetime,
) -> User:
    """A user of an existing account (the `ewtp users create` command)."""
    with uow:
        if uow.accounts.get_account(account_id) is None:
            raise NotFound("no such account", field="account")
        user = _new_user(uow, hasher, account_id, email, password, role, now)
        uow.commit()
    return user


@dataclass(frozen=True, slots=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # goes into the link, shown once


def invite_user(
    uow: UsersUnitOfWork,
    *,
    account_id: str,
    email: str,
    role: Membership,
    invited_by: str | None,
    now: datetime,
) -> IssuedInvitation:
    """An invitation link to join the account; valid for seven days, usable once."""
    address = normalize_email(email)
    token = new_token()
    with uow:
        if uow.accounts.get_account(account_id) is None:
            raise NotFound("no such account", field="account")
        if uow.users.by_email(address) is not None:
            raise Conflict("a user with this e-mail address already exists", field="email")
        invitation = Invitation(
            digest=digest_of(token),
            account_id=account_id,
            email=address,
            role=role,
            invited_by=invited_by,
            created_at=now,
            expires_at=now + timedelta(days=INVITATION_DAYS),
        )
        uow.invitations.add(invitation)
        uow.commit()
    return IssuedInvitation(invitation, token)


def open_invitation(uow: UsersUnitOfWork, token: str, now: datetime) -> Invitation:
    """The invitation behind a link, or NotFound when unknown, used or expired."""
    with uow:
        invitation = uow.invitations.get(digest_of(token))
    if invitation is None or not invitation.open_at(now):
        raise NotFound("this invitation link is unknown, used or expired", field="token")
    return invitation


def accept_invitation(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    *,
    token: str,
    password: str,
    now: datetime,
) -> SignedIn:
    """Create the invited user with their chosen password and sign them in."""
    validate_password(password)
    digest = digest_of(token)
    with uow:
        invitation = uow.invitations.get(digest)
        if invitation is None or not invitation.open_at(now):
            raise NotFound("this invitation link is unknown, used or expired", field="token")
        if not uow.invitations.accept(digest, now):
            raise NotFound("this invitation link is unknown, used or expired", field="token")
        account = uow.accounts.get_account(invitation.account_id)
        assert account is not None  # the foreign key keeps it
        user = _new_user(
            uow, hasher, invitation.account_id, invitation.email, password, invitation.role, now
        )
        session_token, session = start_session(uow, user, now)
        uow.commit()
    return SignedIn(user, account, session, session_token)


def reset_password(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    *,
    email: str,
    password: str,
    now: datetime,
) -> User:
    """Set a new password and end every session of the user."""
    address = normalize_email(email)
    validate_password(password)
    with uow:
        user = uow.users.by_email(address)
        if user is None:
            raise NotFound("no user with this e-mail address", field="email")
        user = replace(user, password_hash=hasher.hash(password))
        uow.users.update(user)
        uow.sessions.end_all_of(user.id, now)
        uow.commit()
    return user


def disable_user(uow: UsersUnitOfWork, *, email: str, now: datetime) -> User:
    """Disable a user (their sessions end now); disabling twice is harmless."""
    address = normalize_email(email)
    with uow:
        user = uow.users.by_email(address)
        if user is None:
            raise NotFound("no user with this e-mail address", field="email")
        if user.active:
            user = replace(user, disabled_at=now)
            uow.users.update(user)
        uow.sessions.end_all_of(user.id, now)
        uow.commit()
    return user


def set_preferences(
    uow: UsersUnitOfWork, user_id: str, *, language: str | None, time_zone: str
) -> User:
    """The user's language (None: the browser's) and the time zone pages show times in."""
    if language is not None and language not in LANGUAGES:
        raise InvalidInput(f"must be one of {', '.join(LANGUAGES)}", field="language")
    try:
        zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "is not an IANA time zone such as Europe/Paris", field="time_zone"
        ) from None
    with uow:
        user = uow.users.get(user_id)
        if user is None:
            raise NotFound("no such user", field="user")
        user = replace(user, language=language, time_zone=time_zone)
        uow.users.update(user)
        uow.commit()
    return user


def list_members(
    uow: UsersUnitOfWork, account_id: str, now: datetime
) -> tuple[list[User], list[Invitation]]:
    """The account's users and its open invitations."""
    with uow:
        return uow.users.of_account(account_id), uow.invitations.open_of(account_id, now)

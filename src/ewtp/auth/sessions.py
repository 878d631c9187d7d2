"""The signed-in browser behind a request, with the policies taken from settings."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.adapters.passwords import Argon2Hasher
from ewtp.config import Settings
from ewtp.domain.users import SessionPolicy, SignInPolicy
from ewtp.services.users.signin import SignedIn, resume_session

__all__ = ["hasher_of", "session_policy", "signed_in", "signin_policy"]

_HASHERS = {True: Argon2Hasher(fast=True), False: Argon2Hasher()}


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


def signed_in(
    factory: sessionmaker[Session], settings: Settings, token: str | None
) -> SignedIn | None:
    """The user behind a session cookie value, or None."""
    return resume_session(
        SqlAlchemyUsersUnitOfWork(factory), token, utcnow(), session_policy(settings)
    )

"""Users of an account (owner or member), their server-side sessions and invitations.

Session ids and invitation tokens are 256-bit random strings shown to the browser once;
only their SHA-256 digests are stored, so a copy of the database opens no session.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.errors import DomainError, InvalidInput

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "Invitation",
    "Membership",
    "TooManyAttempts",
    "User",
    "WebSession",
    "normalize_email",
    "validate_password",
]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10
MAX_PASSWORD = 200  # argon2 takes any length; a bound keeps hashing time bounded


class Membership(enum.StrEnum):
    """What a user may do in their account: the owner also manages members and keys."""

    OWNER = "owner"
    MEMBER = "member"


@dataclass(frozen=True, slots=True)
class User:
    id: str
    account_id: str
    email: str
    password_hash: str
    role: Membership
    created_at: datetime
    language: str | None = None  # None: follow the browser's Accept-Language
    time_zone: str = "UTC"
    disabled_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser. `digest` is the SHA-256 of the cookie's value."""

    digest: str
    user_id: str
    csrf_token: str
    created_at: datetime
    last_seen_at: datetime
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    digest: str
    account_id: str
    email: str
    role: Membership
    invited_by: str | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None = None

    def open_at(self, now: datetime) -> bool:
        return self.accepted_at is None and now < self.expires_at


def normalize_email(raw: str, field: str = "email") -> str:
    """Trimmed and lower-cased, so one person is one user whatever they type."""
    email = raw.strip().lower()
    if not EMAIL.match(email) or len(email) > 254:
        raise InvalidInput("must be an e-mail address such as anna@example.com", field=field)
    return email


def validate_password(raw: str, field: str = "password") -> str:
    if len(raw) < MIN_PASSWORD:
        raise InvalidInput(f"must be at least {MIN_PASSWORD} characters", field=field)
    if len(raw) > MAX_PASSWORD:
        raise InvalidInput(f"must be at most {MAX_PASSWORD} characters", field=field)
    return raw


class TooManyAttempts(DomainError):
    """Sign-in refused for a while after too many failures (per e-mail or per IP)."""

    code = "too_many_attempts"

    def __init__(self, message: str, *, field: str | None = None, retry_after: int) -> None:
        super().__init__(message, field=field)
        self.retry_after = retry_after

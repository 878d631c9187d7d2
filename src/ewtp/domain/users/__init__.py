"""People who sign in to the web app: users, their sessions, invitations and sign-in limits."""

from __future__ import annotations

from ewtp.domain.users.limits import AttemptWindow, SignInPolicy, retry_after
from ewtp.domain.users.model import (
    Invitation,
    Membership,
    TooManyAttempts,
    User,
    WebSession,
    normalize_email,
    validate_password,
)
from ewtp.domain.users.sessions import SessionPolicy, session_state

__all__ = [
    "AttemptWindow",
    "Invitation",
    "Membership",
    "SessionPolicy",
    "SignInPolicy",
    "TooManyAttempts",
    "User",
    "WebSession",
    "normalize_email",
    "retry_after",
    "session_state",
    "validate_password",
]

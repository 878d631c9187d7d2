"""Ports of the users capability: storage of users, sessions, invitations, attempt
counters and account settings, and the password hasher."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ewtp.domain.accounts import ApiKey
from ewtp.domain.users import AttemptWindow, Invitation, User, WebSession
from ewtp.services.accounts import AccountsUnitOfWork

__all__ = [
    "AbstractAttemptRepository",
    "AbstractInvitationRepository",
    "AbstractKeyListing",
    "AbstractPasswordHasher",
    "AbstractProfileRepository",
    "AbstractSessionRepository",
    "AbstractUserRepository",
    "AccountProfile",
    "UsersUnitOfWork",
]


class AbstractPasswordHasher(abc.ABC):
    @abc.abstractmethod
    def hash(self, password: str) -> str: ...

    @abc.abstractmethod
    def verify(self, stored: str, password: str) -> bool: ...

    def needs_rehash(self, stored: str) -> bool:
        """Whether `stored` was made with weaker parameters than the current ones."""
        return not stored


class AbstractUserRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, user: User) -> None: ...

    @abc.abstractmethod
    def get(self, user_id: str) -> User | None: ...

    @abc.abstractmethod
    def by_email(self, email: str) -> User | None: ...

    @abc.abstractmethod
    def update(self, user: User) -> None: ...

    @abc.abstractmethod
    def of_account(self, account_id: str) -> list[User]: ...


class AbstractSessionRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, session: WebSession) -> None: ...

    @abc.abstractmethod
    def get(self, digest: str) -> WebSession | None: ...

    @abc.abstractmethod
    def touch(self, digest: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def end(self, digest: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def end_all_of(self, user_id: str, at: datetime) -> None:
        """End every open session of the user (password reset, disabling)."""


class AbstractInvitationRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, invitation: Invitation) -> None: ...

    @abc.abstractmethod
    def get(self, digest: str) -> Invitation | None: ...

    @abc.abstractmethod
    def accept(self, digest: str, at: datetime) -> bool:
        """Mark accepted if still open; False when another request accepted it first."""

    @abc.abstractmethod
    def open_of(self, account_id: str, now: datetime) -> list[Invitation]: ...


class AbstractAttemptRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, key: str) -> AttemptWindow | None: ...

    @abc.abstractmethod
    def put(self, window: AttemptWindow) -> None: ...

    @abc.abstractmethod
    def clear(self, key: str) -> None: ...


@dataclass(frozen=True, slots=True)
class AccountProfile:
    """What the web app remembers for an account: default sender and IOSS number."""

    account_id: str
    default_sender: dict[str, Any] | None = None
    ioss: str | None = None


class AbstractProfileRepository(abc.ABC):
    @abc.abstractmethod
    def get(self, account_id: str) -> AccountProfile: ...

    @abc.abstractmethod
    def put(self, profile: AccountProfile) -> None: ...


class AbstractKeyListing(abc.ABC):
    @abc.abstractmethod
    def of_account(self, account_id: str) -> list[ApiKey]:
        """The account's API keys, newest first, revoked ones included."""


class UsersUnitOfWork(AccountsUnitOfWork):
    users: AbstractUserRepository
    sessions: AbstractSessionRepository
    invitations: AbstractInvitationRepository
    attempts: AbstractAttemptRepository
    profiles: AbstractProfileRepository
    keys: AbstractKeyListing

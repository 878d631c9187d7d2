"""In-memory fakes of the users ports. Writes apply at once; `committed` counts commits."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ewtp.domain.accounts import ApiKey
from ewtp.domain.users import AttemptWindow, Invitation, User, WebSession
from ewtp.services.users.ports import (
    AbstractAttemptRepository,
    AbstractInvitationRepository,
    AbstractKeyListing,
    AbstractPasswordHasher,
    AbstractProfileRepository,
    AbstractSessionRepository,
    AbstractUserRepository,
    AccountProfile,
    UsersUnitOfWork,
)
from unit.accounts.fakes import FakeAccountRepository


class PlainHasher(AbstractPasswordHasher):
    """Not a hash at all: lets the tests read what was stored."""

    def hash(self, password: str) -> str:
        return "plain:" + password

    def verify(self, stored: str, password: str) -> bool:
        return stored == "plain:" + password


class FakeUsers(AbstractUserRepository):
    def __init__(self) -> None:
        self.rows: dict[str, User] = {}

    def add(self, user: User) -> None:
        self.rows[user.id] = user

    def get(self, user_id: str) -> User | None:
        return self.rows.get(user_id)

    def by_email(self, email: str) -> User | None:
        return next((u for u in self.rows.values() if u.email == email), None)

    def update(self, user: User) -> None:
        self.rows[user.id] = user

    def of_account(self, account_id: str) -> list[User]:
        return [u for u in self.rows.values() if u.account_id == account_id]


class FakeSessions(AbstractSessionRepository):
    def __init__(self) -> None:
        self.rows: dict[str, WebSession] = {}

    def add(self, session: WebSession) -> None:
        self.rows[session.digest] = session

    def get(self, digest: str) -> WebSession | None:
        return self.rows.get(digest)

    def touch(self, digest: str, at: datetime) -> None:
        self.rows[digest] = replace(self.rows[digest], last_seen_at=at)

    def end(self, digest: str, at: datetime) -> None:
        if digest in self.rows and self.rows[digest].ended_at is None:
            self.rows[digest] = replace(self.rows[digest], ended_at=at)

    def end_all_of(self, user_id: str, at: datetime) -> None:
        for digest, s in list(self.rows.items()):
            if s.user_id == user_id:
                self.end(digest, at)


class FakeInvitations(AbstractInvitationRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Invitation] = {}

    def add(self, invitation: Invitation) -> None:
        self.rows[invitation.digest] = invitation

    def get(self, digest: str) -> Invitation | None:
        return self.rows.get(digest)

    def accept(self, digest: str, at: datetime) -> bool:
        found = self.rows.get(digest)
        if found is None or found.accepted_at is not None:
            return False
        self.rows[digest] = replace(found, accepted_at=at)
        return True

    def open_of(self, account_id: str, now: datetime) -> list[Invitation]:
        return [i for i in self.rows.values() if i.account_id == account_id and i.open_at(now)]


class FakeAttempts(AbstractAttemptRepository):
    def __init__(self) -> None:
        self.rows: dict[str, AttemptWindow] = {}

    def get(self, key: str) -> AttemptWindow | None:
        return self.rows.get(key)

    def put(self, window: AttemptWindow) -> None:
        self.rows[window.key] = window

    def clear(self, key: str) -> None:
        self.rows.pop(key, None)


class FakeProfiles(AbstractProfileRepository):
    def __init__(self) -> None:
        self.rows: dict[str, AccountProfile] = {}

    def get(self, account_id: str) -> AccountProfile:
        return self.rows.get(account_id, AccountProfile(account_id))

    def put(self, profile: AccountProfile) -> None:
        self.rows[profile.account_id] = profile


class FakeKeys(AbstractKeyListing):
    def __init__(self, accounts: FakeAccountRepository) -> None:
        self._accounts = accounts

    def of_account(self, account_id: str) -> list[ApiKey]:
        return [k for k in self._accounts.keys.values() if k.account_id == account_id]


class FakeUsersUnitOfWork(UsersUnitOfWork):
    def __init__(self) -> None:
        self.accounts = FakeAccountRepository()
        self.users = FakeUsers()
        self.sessions = FakeSessions()
        self.invitations = FakeInvitations()
        self.attempts = FakeAttempts()
        self.profiles = FakeProfiles()
        self.keys = FakeKeys(self.accounts)
        self.committed = 0

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        pass

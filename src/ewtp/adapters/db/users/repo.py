"""SQLAlchemy repositories of users, sessions, invitations, attempt counters and settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.accounts import ApiKeyRow
from ewtp.adapters.db.tables.users import (
    AccountSettingsRow,
    InvitationRow,
    SignInAttemptRow,
    UserRow,
    WebSessionRow,
)
from ewtp.domain.accounts import ApiKey
from ewtp.domain.users import AttemptWindow, Invitation, Membership, User, WebSession
from ewtp.services.users.ports import (
    AbstractAttemptRepository,
    AbstractInvitationRepository,
    AbstractKeyListing,
    AbstractProfileRepository,
    AbstractSessionRepository,
    AbstractUserRepository,
    AccountProfile,
)

__all__ = [
    "SqlAlchemyAttempts",
    "SqlAlchemyInvitations",
    "SqlAlchemyKeyListing",
    "SqlAlchemyProfiles",
    "SqlAlchemySessions",
    "SqlAlchemyUsers",
]


def _user(row: UserRow) -> User:
    return User(
        id=row.id,
        account_id=row.account_id,
        email=row.email,
        password_hash=row.password_hash,
        role=Membership(row.role),
        created_at=row.created_at,
        language=row.language,
        time_zone=row.time_zone,
        disabled_at=row.disabled_at,
    )


class SqlAlchemyUsers(AbstractUserRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, user: User) -> None:
        self._s.add(
            UserRow(
                id=user.id,
                account_id=user.account_id,
                email=user.email,
                password_hash=user.password_hash,
                role=user.role.value,
                language=user.language,
                time_zone=user.time_zone,
                created_at=user.created_at,
                disabled_at=user.disabled_at,
            )
        )
        self._s.flush()

    def get(self, user_id: str) -> User | None:
        row = self._s.get(UserRow, user_id)
        return _user(row) if row else None

    def by_email(self, email: str) -> User | None:
        row = self._s.scalars(select(UserRow).where(UserRow.email == email)).first()
        return _user(row) if row else None

    def update(self, user: User) -> None:
        self._s.execute(
            update(UserRow)
            .where(UserRow.id == user.id)
            .values(
                password_hash=user.password_hash,
                role=user.role.value,
                language=user.language,
                time_zone=user.time_zone,
                disabled_at=user.disabled_at,
            )
        )

    def of_account(self, account_id: str) -> list[User]:
        rows = self._s.scalars(
            select(UserRow).where(UserRow.account_id == account_id).order_by(UserRow.created_at)
        )
        return [_user(r) for r in rows]


class SqlAlchemySessions(AbstractSessionRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, session: WebSession) -> None:
        self._s.add(
            WebSessionRow(
                digest=session.digest,
                user_id=session.user_id,
                csrf_token=session.csrf_token,
                created_at=session.created_at,
                last_seen_at=session.last_seen_at,
                ended_at=session.ended_at,
            )
        )
        self._s.flush()

    def get(self, digest: str) -> WebSession | None:
        row = self._s.get(WebSessionRow, digest)
        if row is None:
            return None
        return WebSession(
            digest=row.digest,
            user_id=row.user_id,
            csrf_token=row.csrf_token,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            ended_at=row.ended_at,
        )

    def touch(self, digest: str, at: datetime) -> None:
        self._s.execute(
            update(WebSessionRow).where(WebSessionRow.digest == digest).values(last_seen_at=at)
        )

    def end(self, digest: str, at: datetime) -> None:
        self._s.execute(
            update(WebSessionRow)
            .where(WebSessionRow.digest == digest, WebSessionRow.ended_at.is_(None))
            .values(ended_at=at)
        )

    def end_all_of(self, user_id: str, at: datetime) -> None:
        self._s.execute(
            update(WebSessionRow)
            .where(WebSessionRow.user_id == user_id, WebSessionRow.ended_at.is_(None))
            .values(ended_at=at)
        )


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        digest=row.digest,
        account_id=row.account_id,
        email=row.email,
        role=Membership(row.role),
        invited_by=row.invited_by,
        created_at=row.created_at,
        expires_at=row.expires_at,
        accepted_at=row.accepted_at,
    )


class SqlAlchemyInvitations(AbstractInvitationRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, invitation: Invitation) -> None:
        self._s.add(
            InvitationRow(
                digest=invitation.digest,
                account_id=invitation.account_id,
                email=invitation.email,
                role=invitation.role.value,
                invited_by=invitation.invited_by,
                created_at=invitation.created_at,
                expires_at=invitation.expires_at,
                accepted_at=invitation.accepted_at,
            )
        )
        self._s.flush()

    def get(self, digest: str) -> Invitation | None:
        row = self._s.get(InvitationRow, digest)
        return _invitation(row) if row else None

    def accept(self, digest: str, at: datetime) -> bool:
        done = self._s.execute(
            update(InvitationRow)
            .where(InvitationRow.digest == digest, InvitationRow.accepted_at.is_(None))
            .values(accepted_at=at)
        )
        return bool(getattr(done, "rowcount", 0) == 1)

    def open_of(self, account_id: str, now: datetime) -> list[Invitation]:
        rows = self._s.scalars(
            select(InvitationRow)
            .where(
                InvitationRow.account_id == account_id,
                InvitationRow.accepted_at.is_(None),
                InvitationRow.expires_at > now,
            )
            .order_by(InvitationRow.created_at)
        )
        return [_invitation(r) for r in rows]


class SqlAlchemyAttempts(AbstractAttemptRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, key: str) -> AttemptWindow | None:
        row = self._s.get(SignInAttemptRow, key)
        return AttemptWindow(row.key, row.window_start, row.failures) if row else None

    def put(self, window: AttemptWindow) -> None:
        row = self._s.get(SignInAttemptRow, window.key)
        if row is None:
            self._s.add(
                SignInAttemptRow(
                    key=window.key, window_start=window.window_start, failures=window.failures
                )
            )
        else:
            row.window_start, row.failures = window.window_start, window.failures
        self._s.flush()

    def clear(self, key: str) -> None:
        row = self._s.get(SignInAttemptRow, key)
        if row is not None:
            self._s.delete(row)
            self._s.flush()


class SqlAlchemyProfiles(AbstractProfileRepository):
    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, account_id: str) -> AccountProfile:
        row = self._s.get(AccountSettingsRow, account_id)
        if row is None:
            return AccountProfile(account_id)
        return AccountProfile(account_id, row.default_sender, row.ioss)

    def put(self, profile: AccountProfile) -> None:
        row = self._s.get(AccountSettingsRow, profile.account_id)
        if row is None:
            self._s.add(
                AccountSettingsRow(
                    account_id=profile.account_id,
                    default_sender=profile.default_sender,
                    ioss=profile.ioss,
                )
            )
        else:
            row.default_sender, row.ioss = profile.default_sender, profile.ioss
        self._s.flush()


class SqlAlchemyKeyListing(AbstractKeyListing):
    def __init__(self, session: Session) -> None:
        self._s = session

    def of_account(self, account_id: str) -> list[ApiKey]:
        rows = self._s.scalars(
            select(ApiKeyRow)
            .where(ApiKeyRow.account_id == account_id)
            .order_by(ApiKeyRow.created_at.desc())
        )
        return [
            ApiKey(r.id, r.account_id, r.prefix, r.digest, r.created_at, r.revoked_at) for r in rows
        ]

"""The users unit of work: accounts plus users, sessions, invitations, attempts, settings."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.db.users.repo import (
    SqlAlchemyAttempts,
    SqlAlchemyInvitations,
    SqlAlchemyKeyListing,
    SqlAlchemyProfiles,
    SqlAlchemySessions,
    SqlAlchemyUsers,
)
from ewtp.services.users.ports import UsersUnitOfWork

__all__ = ["SqlAlchemyUsersUnitOfWork"]


class SqlAlchemyUsersUnitOfWork(SqlAlchemyUnitOfWork, UsersUnitOfWork):
    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.users = SqlAlchemyUsers(session)
        self.sessions = SqlAlchemySessions(session)
        self.invitations = SqlAlchemyInvitations(session)
        self.attempts = SqlAlchemyAttempts(session)
        self.profiles = SqlAlchemyProfiles(session)
        self.keys = SqlAlchemyKeyListing(session)

"""The SQLAlchemy unit of work: one session, one transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.accounts import SqlAlchemyAccountRepository
from ewtp.services.accounts import AccountsUnitOfWork

__all__ = ["SqlAlchemyUnitOfWork"]


class SqlAlchemyUnitOfWork(AccountsUnitOfWork):
    """Opens a session on enter, rolls back anything uncommitted on exit.

    Capabilities subclass it and add their repositories in `_open_repositories`.
    """

    session: Session

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self._open_repositories(self.session)
        return super().__enter__()

    def _open_repositories(self, session: Session) -> None:
        self.accounts = SqlAlchemyAccountRepository(session)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        super().__exit__(exc_type, exc, tb)
        self.session.close()

    def commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()

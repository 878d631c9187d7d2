"""The unit of work of the network capability: accounts plus the network repository."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ewtp.adapters.db.network.repository import SqlAlchemyNetworkRepository
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.services.network.ports import NetworkUnitOfWork

__all__ = ["SqlAlchemyNetworkUnitOfWork"]


class SqlAlchemyNetworkUnitOfWork(SqlAlchemyUnitOfWork, NetworkUnitOfWork):
    """Has `.network` besides `.accounts`."""

    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.network = SqlAlchemyNetworkRepository(session)

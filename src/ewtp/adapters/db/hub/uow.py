"""The unit of work of hub operations: the network plus the hub's repositories."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.hub.decisions import SqlAlchemyDecisionLog
from ewtp.adapters.db.hub.models import SqlAlchemyHubModels
from ewtp.adapters.db.hub.parcels import SqlAlchemyHubParcels
from ewtp.adapters.db.hub.scans import SqlAlchemyHubScans, SqlAlchemyInbound
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.services.hub.ports import HubUnitOfWork

__all__ = ["SqlAlchemyHubUnitOfWork"]


class SqlAlchemyHubUnitOfWork(SqlAlchemyNetworkUnitOfWork, HubUnitOfWork):
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        super().__init__(session_factory)
        bind = session_factory.kw.get("bind")
        self.scope = str(getattr(bind, "url", "")) or str(id(session_factory))

    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.parcels = SqlAlchemyHubParcels(session)
        self.decisions = SqlAlchemyDecisionLog(session)
        self.scans = SqlAlchemyHubScans(session)
        self.inbound = SqlAlchemyInbound(session)
        self.models = SqlAlchemyHubModels(session)

"""The unit of work of tracking: accounts, scans, webhooks and the outbox on one session."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.tracking.repository import SqlAlchemyTrackingRepository
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox
from ewtp.adapters.db.webhooks.repository import SqlAlchemyWebhookRepository
from ewtp.services.tracking.ports import TrackingUnitOfWork

__all__ = ["SqlAlchemyTrackingUnitOfWork"]


class SqlAlchemyTrackingUnitOfWork(SqlAlchemyUnitOfWork, TrackingUnitOfWork):
    def __init__(self, session_factory: sessionmaker[Session], *, set_fold: bool = True) -> None:
        super().__init__(session_factory)
        self._set_fold = set_fold

    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.tracking = SqlAlchemyTrackingRepository(session, set_fold=self._set_fold)
        self.webhooks = SqlAlchemyWebhookRepository(session)
        self.outbox = SqlAlchemyOutbox(session)

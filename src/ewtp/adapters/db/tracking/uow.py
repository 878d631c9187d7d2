"""The unit of work of tracking: accounts, scans, webhooks and the outbox on one session."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ewtp.adapters.db.tracking.repository import SqlAlchemyTrackingRepository
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox
from ewtp.adapters.db.webhooks.repository import SqlAlchemyWebhookRepository
from ewtp.services.tracking.ports import TrackingUnitOfWork

__all__ = ["SqlAlchemyTrackingUnitOfWork"]


class SqlAlchemyTrackingUnitOfWork(SqlAlchemyUnitOfWork, TrackingUnitOfWork):
    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.tracking = SqlAlchemyTrackingRepository(session)
        self.webhooks = SqlAlchemyWebhookRepository(session)
        self.outbox = SqlAlchemyOutbox(session)

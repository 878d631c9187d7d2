"""The merchant platform's unit of work: accounts plus shipments, quotes, serials, keys."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ewtp.adapters.db.merchant_repo import (
    SqlAlchemyIdempotencyStore,
    SqlAlchemyQuoteRepository,
    SqlAlchemySerialAllocator,
    SqlAlchemyShipmentRepository,
)
from ewtp.adapters.db.outbox_repo import SqlAlchemyOutbox
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.services.merchant_ports import MerchantUnitOfWork

__all__ = ["SqlAlchemyMerchantUnitOfWork"]


class SqlAlchemyMerchantUnitOfWork(SqlAlchemyUnitOfWork, MerchantUnitOfWork):
    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.shipments = SqlAlchemyShipmentRepository(session)
        self.quotes = SqlAlchemyQuoteRepository(session)
        self.serials = SqlAlchemySerialAllocator(session)
        self.idempotency = SqlAlchemyIdempotencyStore(session)
        self.outbox = SqlAlchemyOutbox(session)

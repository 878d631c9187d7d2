"""The merchant platform's unit of work: accounts plus shipments, quotes, serials, keys."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from ewtp.adapters.db.customs.repository import SqlAlchemyCbecUsageRepository
from ewtp.adapters.db.merchant.repository import (
    SqlAlchemyIdempotencyStore,
    SqlAlchemyQuoteRepository,
    SqlAlchemySerialAllocator,
    SqlAlchemyShipmentRepository,
)
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox
from ewtp.domain.errors import Unavailable
from ewtp.services.merchant.ports import MerchantUnitOfWork

__all__ = ["SqlAlchemyMerchantUnitOfWork"]


_SQLITE_WRITES = threading.Lock()
DEFAULT_WRITE_WAIT_SECONDS = 30.0


class SqlAlchemyMerchantUnitOfWork(SqlAlchemyUnitOfWork, MerchantUnitOfWork):
    """On SQLite, this process's merchant write transactions take turns on a lock.

    SQLite has one writer at a time; without the lock, concurrent writers meet
    SQLITE_BUSY and sleep in the driver's back-off (up to 100 ms a try), which made p99
    latency explode under load. A writer waits for it as long as for a pooled connection
    (EWTP_OVERLOAD_WAIT_SECONDS), then gets 503. The lock is taken before the first write
    (by the repositories, or at commit for writes flushed only then) and released when
    the transaction ends, so the order is always lock, then SQLite: no deadlock.
    """

    _holding = False

    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self._serialize = session.get_bind().dialect.name == "sqlite"
        self.shipments = SqlAlchemyShipmentRepository(session, self._before_write)
        self.quotes = SqlAlchemyQuoteRepository(session, self._before_write)
        self.serials = SqlAlchemySerialAllocator(session, self._before_write)
        self.idempotency = SqlAlchemyIdempotencyStore(session, self._before_write)
        self.outbox = SqlAlchemyOutbox(session)
        self.cbec_usage = SqlAlchemyCbecUsageRepository(session, self._before_write)

    def _before_write(self) -> None:
        if self._serialize and not self._holding:
            if not _SQLITE_WRITES.acquire(timeout=self._write_wait()):
                raise Unavailable(
                    "the service is at capacity: the database writer stayed busy; retry shortly",
                    retry_after=1,
                )
            self._holding = True

    def _write_wait(self) -> float:
        """As long as a connection is waited for: the pool's timeout (EWTP_OVERLOAD_WAIT)."""
        pool = self.session.get_bind().engine.pool
        timeout = getattr(pool, "timeout", None)
        return float(timeout()) if callable(timeout) else DEFAULT_WRITE_WAIT_SECONDS

    def _release(self) -> None:
        if self._holding:
            self._holding = False
            _SQLITE_WRITES.release()

    def commit(self) -> None:
        if self.session.new or self.session.dirty or self.session.deleted:
            self._before_write()
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

"""Group commit for quotes: many concurrent requests' quotes in one write transaction.

A quote must be stored before it is answered (its options are booked by id later). One
transaction per quote made storage the bottleneck of POST /v1/quotes: SQLite has one
writer at a time, and each commit pays a WAL write (plus, now and then, a checkpoint's
fsync) while every other quote waits. Here a single writer thread takes every quote
queued meanwhile and stores them all with one INSERT per table and one commit; each
request gets its answer only after that commit (same durability as before, one commit
shared by up to `max_batch` requests).

If a batch fails, its quotes are retried one by one so a single bad quote only fails
its own request. The thread starts on the first submission and ends after
`idle_seconds` without work, so idle applications (and tests) keep no thread around.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

from ewtp.domain.merchant.quotes import Quote
from ewtp.services.merchant.ports import MerchantUnitOfWork

__all__ = ["QuoteWriter"]

log = logging.getLogger(__name__)

MAX_BATCH = 128
IDLE_SECONDS = 2.0

_Item = tuple[Quote, "Future[None]"]


class QuoteWriter:
    """`submit(quote)` returns a future that completes once the quote is committed."""

    def __init__(
        self,
        uow_factory: Callable[[], MerchantUnitOfWork],
        max_batch: int = MAX_BATCH,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self._uow_factory = uow_factory
        self._max_batch = max_batch
        self._idle = idle_seconds
        self._queue: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, quote: Quote) -> Future[None]:
        done: Future[None] = Future()
        with self._lock:
            self._queue.put((quote, done))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ewtp-quote-writer", daemon=True
                )
                self._thread.start()
        return done

    def store(self, quote: Quote) -> None:
        """Submit and wait (for callers already on a worker thread)."""
        self.submit(quote).result()

    def _run(self) -> None:
        try:
            while self._serve_one_batch():
                pass
        finally:
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread = None
            # Whatever is still queued (only after an unexpected error) gets a writer.
            if not self._queue.empty():
                with self._lock:
                    if self._thread is None:
                        self._thread = threading.Thread(
                            target=self._run, name="ewtp-quote-writer", daemon=True
                        )
                        self._thread.start()

    def _serve_one_batch(self) -> bool:
        """Store one batch; False once idle for `idle_seconds` with nothing queued."""
        try:
            first = self._queue.get(timeout=self._idle)
        except queue.Empty:
            with self._lock:
                if self._queue.empty():
                    self._thread = None
                    return False
            return True
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        # A request that went away before its turn is not stored (it got no answer).
        self._write([item for item in batch if item[1].set_running_or_notify_cancel()])
        return True

    def _write(self, batch: list[_Item]) -> None:
        if not batch:
            return
        try:
            self._commit([quote for quote, _ in batch])
        except Exception as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            log.warning("storing %d quotes together failed (%s); one by one", len(batch), exc)
            for item in batch:
                self._write([item])
            return
        except BaseException as exc:
            for _, done in batch:
                done.set_exception(exc)
            raise
        for _, done in batch:
            done.set_result(None)

    def _commit(self, quotes: list[Quote]) -> None:
        uow = self._uow_factory()
        with uow:
            uow.quotes.add_all(quotes)
            uow.commit()

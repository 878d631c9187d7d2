"""Group commit for quotes: many concurrent requests' quotes in one write transaction.

A quote must be stored before it is answered (its options are booked by id later). One
transaction per quote made storage the bottleneck of POST /v1/quotes: SQLite has one
writer at a time, and each commit pays a WAL write (plus, now and then, a checkpoint's
fsync) while every other quote waits. Here a single writer thread takes every quote
queued meanwhile and stores them all with one INSERT per table and one commit; each
request gets its answer only after that commit (same durability as before, one commit
shared by up to `max_batch` requests).

If a batch fails, its quotes are retried one by one so a single bad quote only fails
its own request. The thread is the application's: `start()` and `stop()` are called by
its lifespan (`api/app.py`), and `stop()` stores what is queued before it returns.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

from ewtp.domain.merchant.quotes import Quote
from ewtp.services.merchant.ports import AbstractQuoteStore, MerchantUnitOfWork

__all__ = ["QuoteWriter"]

log = logging.getLogger(__name__)

MAX_BATCH = 128
STOP_SECONDS = 30.0

_Item = tuple[Quote, "Future[None]"]


class QuoteWriter(AbstractQuoteStore):
    """`add(quote)` returns once the quote is committed, with others queued meanwhile."""

    def __init__(
        self, uow_factory: Callable[[], MerchantUnitOfWork], max_batch: int = MAX_BATCH
    ) -> None:
        self._uow_factory = uow_factory
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start the writer thread (again, after a `stop`)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ewtp-quote-writer", daemon=True
                )
                self._thread.start()

    def stop(self, timeout: float = STOP_SECONDS) -> None:
        """Store every quote submitted so far, then end the writer thread."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(None)  # the writer ends once everything before it is stored
        thread.join(timeout)

    def submit(self, quote: Quote) -> Future[None]:
        """A future that completes once the quote is committed."""
        done: Future[None] = Future()
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                raise RuntimeError("the quote writer is not running (the app's lifespan starts it)")
            self._queue.put((quote, done))
        return done

    async def add(self, quote: Quote) -> None:
        await asyncio.wrap_future(self.submit(quote))

    def _run(self) -> None:
        try:
            while self._serve_one_batch():
                pass
        finally:  # only an unexpected error leaves quotes queued: their requests fail
            while not self._queue.empty():
                left = self._queue.get_nowait()
                if left is not None and left[1].set_running_or_notify_cancel():
                    left[1].set_exception(RuntimeError("the quote writer stopped"))

    def _serve_one_batch(self) -> bool:
        """Store the next batch; False once `stop()`'s marker is reached."""
        first = self._queue.get()
        if first is None:
            return False
        batch, more = [first], True
        while more and len(batch) < self._max_batch:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                more = False
            else:
                batch.append(item)
        # A request that went away before its turn is not stored (it got no answer).
        self._write([one for one in batch if one[1].set_running_or_notify_cancel()])
        return more

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

"""Group commit for the sort decision log: concurrent requests' decisions, one transaction.

Every decision is logged before it is answered. One write transaction per request made
concurrent scans queue on SQLite's single writer (whose busy handler sleeps in steps of
up to 100 ms); here one writer thread stores every batch queued meanwhile with one
INSERT and one commit, and each request is answered after that commit, so durability
is the same. A failing group is retried request by request, so one bad batch fails only
its own request. The thread starts on the first submission and ends after
`idle_seconds` without work.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.hub import SortDecision
from ewtp.services.hub.ports import AbstractDecisionSink, HubUnitOfWork

__all__ = ["DecisionLogWriter"]

log = logging.getLogger(__name__)

MAX_GROUP = 64
IDLE_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class _Entry:
    hub: str
    decisions: Sequence[SortDecision]
    requested_by: str | None
    at: datetime
    done: Future[None]


class DecisionLogWriter(AbstractDecisionSink):
    def __init__(
        self,
        uow_factory: Callable[[], HubUnitOfWork],
        max_group: int = MAX_GROUP,
        idle_seconds: float = IDLE_SECONDS,
    ) -> None:
        self._uow_factory = uow_factory
        self._max_group = max_group
        self._idle = idle_seconds
        self._queue: queue.SimpleQueue[_Entry] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def store(
        self,
        hub: str,
        decisions: Sequence[SortDecision],
        requested_by: str | None,
        at: datetime,
    ) -> None:
        done: Future[None] = Future()
        with self._lock:
            self._queue.put(_Entry(hub, decisions, requested_by, at, done))
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ewtp-hub-log-writer", daemon=True
                )
                self._thread.start()
        done.result()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self._idle)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            group = [first]
            while len(group) < self._max_group:
                try:
                    group.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._write(group)

    def _write(self, group: list[_Entry]) -> None:
        try:
            uow = self._uow_factory()
            with uow:
                for entry in group:
                    uow.decisions.add(entry.hub, entry.decisions, entry.requested_by, entry.at)
                uow.commit()
        except Exception as exc:
            if len(group) == 1:
                group[0].done.set_exception(exc)
                return
            log.warning(
                "logging %d decision batches together failed (%s); one by one", len(group), exc
            )
            for entry in group:
                self._write([entry])
            return
        for entry in group:
            entry.done.set_result(None)

"""Replications done so far of the runs this process is running, for the console's
progress bar. The stored run only knows queued, running, done or failed; the runner
knows more, so it tells a board that the page polls. Another process's runs are not on
the board, and the page then shows the stored status alone."""

from __future__ import annotations

import threading
from collections.abc import Sequence

from ewtp.domain.simulation.results import Replication
from ewtp.services.simulation.ports import AbstractReplicationRunner, AbstractSimulator, Progress

__all__ = ["BOARD", "ProgressBoard", "ReportingRunner"]


class ProgressBoard:
    """run id -> (replications done, replications asked for); thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._done: dict[str, tuple[int, int]] = {}

    def report(self, run_id: str, done: int, total: int) -> None:
        with self._lock:
            self._done[run_id] = (done, total)

    def get(self, run_id: str) -> tuple[int, int] | None:
        with self._lock:
            return self._done.get(run_id)

    def forget(self, run_id: str) -> None:
        with self._lock:
            self._done.pop(run_id, None)


BOARD = ProgressBoard()


class ReportingRunner(AbstractReplicationRunner):
    """Another runner whose progress also goes to a board under the run's id."""

    def __init__(self, inner: AbstractReplicationRunner, board: ProgressBoard, run_id: str) -> None:
        self.inner, self.board, self.run_id = inner, board, run_id

    def run(self, simulator: AbstractSimulator, prepared: object, seed: int,
            indices: Sequence[int], progress: Progress) -> list[Replication]:  # fmt: skip
        self.board.report(self.run_id, 0, len(indices))

        def both(done: int, total: int) -> None:
            self.board.report(self.run_id, done, total)
            progress(done, total)

        return self.inner.run(simulator, prepared, seed, indices, both)

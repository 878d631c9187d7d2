# ruff: noqa: ARG002, ARG005  (the engine implements the port and ignores some arguments)
"""A running manifest job records how far it has read, at most every half second, and
ends done with every row counted (or failed, its progress left where it stopped)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ewtp.services.customs.assess_manifest import AbstractManifestEngine, ManifestCounts
from ewtp.services.customs.jobs import create_job, recent_jobs, run_job

from .fakes import FakeCustomsUnitOfWork

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


class SteppingEngine(AbstractManifestEngine):
    """Reports progress after each of `steps` batches and peeks at the stored job."""

    def __init__(self, uow: FakeCustomsUnitOfWork, steps: list[int], total: int | None) -> None:
        self.uow, self.steps, self.total = uow, steps, total
        self.seen: list[tuple[int, int | None]] = []

    def run(
        self, source: Path, target: Path, ctx: Any,
        progress: Callable[[int, int | None], None] | None = None,
    ) -> ManifestCounts:  # fmt: skip
        assert progress is not None
        for done in self.steps:
            progress(done, self.total)
            job = next(iter(self.uow.manifest_jobs.jobs.values()))
            self.seen.append((job.rows_done, job.rows_total))
        target.write_text("consignment_id\n")
        return ManifestCounts(rows=self.steps[-1], consignments=2, rejected=0, invalid=0)


def test_progress_is_written_while_running_and_the_end_counts_every_row(tmp_path: Path) -> None:
    uow = FakeCustomsUnitOfWork()
    job = create_job(uow, "acct", tmp_path, "parquet", NOW)
    Path(job.input_path).write_text("x")
    engine = SteppingEngine(uow, [100, 200, 300], total=300)
    done = run_job(lambda: uow, engine, job, context_factory=lambda *a: None, clock=lambda: NOW)
    # the first report is written at once; later ones at most every 0.5 s, never backwards
    assert engine.seen[0] == (100, 300)
    assert [rows for rows, _ in engine.seen] == sorted(rows for rows, _ in engine.seen)
    assert {total for _, total in engine.seen} == {300}
    assert (done.status, done.rows_done, done.rows_total) == ("done", 300, 300)
    assert recent_jobs(uow, "acct") == [done]
    assert recent_jobs(uow, "other") == []

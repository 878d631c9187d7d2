"""Use cases for bulk manifest jobs uploaded over HTTP: create, run, look up."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ewtp.domain.errors import DomainError, NotFound
from ewtp.services.customs.assess_manifest import AbstractManifestEngine, assess_manifest
from ewtp.services.customs.ports import CustomsUnitOfWork, ManifestJob

__all__ = [
    "create_job",
    "fail_interrupted_jobs",
    "failure_reason",
    "get_job",
    "recent_jobs",
    "run_job",
]

log = logging.getLogger("ewtp.customs")


def create_job(
    uow: CustomsUnitOfWork, account_id: str, folder: Path, kind: str, now: datetime
) -> ManifestJob:
    """A queued job whose upload goes to `folder/<id>.in.<kind>`, its result beside it."""
    job_id = str(uuid.uuid4())
    job = ManifestJob(
        id=job_id, account_id=account_id, status="queued",
        input_path=str(folder / f"{job_id}.in.{kind}"),
        result_path=str(folder / f"{job_id}.out.{kind}"), created_at=now,
    )  # fmt: skip
    with uow:
        uow.manifest_jobs.add(job)
        uow.commit()
    return job


def get_job(uow: CustomsUnitOfWork, job_id: str, account_id: str) -> ManifestJob:
    """A job of this account (another account's job is 'not found')."""
    with uow:
        job = uow.manifest_jobs.get(job_id, account_id)
    if job is None:
        raise NotFound("no such manifest job", field="job_id")
    return job


def run_job(
    make_uow: Callable[[], CustomsUnitOfWork],
    engine: AbstractManifestEngine,
    job: ManifestJob,
    *,
    context_factory: Callable[..., Any],
    clock: Callable[[], datetime],
    source_name: str | None = None,
) -> ManifestJob:
    """Assess the job's file and record the outcome: done with counts, or failed with why.

    Whatever goes wrong (a domain error, a file polars or pyarrow cannot read, bytes that
    are not UTF-8), the job ends `failed` with a reason naming the uploaded file
    (`source_name`), and no partial result is left; it never stays `running`.
    """
    name = source_name or Path(job.input_path).name
    with make_uow() as uow:
        uow.manifest_jobs.update(replace(job, status="running"))
        uow.commit()
    try:
        summary = assess_manifest(
            make_uow(), engine, Path(job.input_path), Path(job.result_path),
            context_factory=context_factory, progress=_progress_writer(make_uow, job.id),
        )  # fmt: skip
        done = replace(job, status="done", consignments=summary.consignments,
                       rejected=summary.rejected, finished_at=clock(), rows_done=summary.rows,
                       rows_total=summary.rows)  # fmt: skip
    except Exception as exc:  # every failure must end the job, whatever its type
        if not isinstance(exc, DomainError):
            log.warning("manifest job %s failed on %s", job.id, name, exc_info=exc)
        done = replace(job, status="failed", message=failure_reason(name, exc),
                       finished_at=clock())  # fmt: skip
        Path(job.result_path).unlink(missing_ok=True)
    with make_uow() as uow:
        uow.manifest_jobs.update(done)
        uow.commit()
    return done


def _progress_writer(
    make_uow: Callable[[], CustomsUnitOfWork], job_id: str, every: float = 0.5
) -> Callable[[int, int | None], None]:
    """Record the rows read at most every `every` seconds (one small update), so the
    console can show how far a running job is without slowing the engine."""
    last = [0.0]

    def write(done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] < every:
            return
        last[0] = now
        with make_uow() as uow:
            uow.manifest_jobs.progress(job_id, done, total)
            uow.commit()

    return write


def recent_jobs(uow: CustomsUnitOfWork, account_id: str, limit: int = 50) -> list[ManifestJob]:
    """The account's newest manifest jobs first."""
    with uow:
        return uow.manifest_jobs.recent(account_id, limit)


def failure_reason(name: str, exc: Exception) -> str:
    """One line naming the file and what was wrong with it."""
    if isinstance(exc, UnicodeDecodeError):
        return f"{name}: not UTF-8 text at byte {exc.start}; save the CSV as UTF-8"
    if isinstance(exc, DomainError):
        text = str(exc)
        return text if name in text else f"{name}: {text}"
    first = next((line.strip() for line in str(exc).splitlines() if line.strip()), "")
    kind = type(exc).__name__
    return f"{name}: cannot be read as a manifest ({kind}{': ' + first[:300] if first else ''})"


def fail_interrupted_jobs(
    uow: CustomsUnitOfWork, now: datetime, discard: Callable[[ManifestJob], None]
) -> list[ManifestJob]:
    """At start-up: jobs left queued or running by a server that died are marked failed,
    and `discard` removes what they had written (a partial upload or result)."""
    with uow:
        stale = uow.manifest_jobs.unfinished()
        failed = [
            replace(
                job, status="failed", finished_at=now,
                message="the server stopped before this job finished; upload the file again",
            )
            for job in stale
        ]  # fmt: skip
        for job in failed:
            uow.manifest_jobs.update(job)
        uow.commit()
    for job in failed:
        discard(job)
    return failed

"""Use cases for bulk manifest jobs uploaded over HTTP: create, run, look up."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ewtp.domain.errors import DomainError, NotFound
from ewtp.services.customs.assess_manifest import AbstractManifestEngine, assess_manifest
from ewtp.services.customs.ports import CustomsUnitOfWork, ManifestJob

__all__ = ["create_job", "get_job", "run_job"]


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
) -> ManifestJob:
    """Assess the job's file and record the outcome (done with counts, or failed with why)."""
    with make_uow() as uow:
        uow.manifest_jobs.update(replace(job, status="running"))
        uow.commit()
    try:
        summary = assess_manifest(
            make_uow(), engine, Path(job.input_path), Path(job.result_path),
            context_factory=context_factory,
        )  # fmt: skip
        done = replace(job, status="done", consignments=summary.consignments,
                       rejected=summary.rejected, finished_at=clock())  # fmt: skip
    except DomainError as exc:
        done = replace(job, status="failed", message=str(exc), finished_at=clock())
    with make_uow() as uow:
        uow.manifest_jobs.update(done)
        uow.commit()
    return done

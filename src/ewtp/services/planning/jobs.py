"""Plan jobs for the API: queue a plan, run it in the background, read its state.

A job stores its request, so a worker can run it later; when it ends it stores either the
whole plan as JSON (status `done`) or the reason (status `failed`), never half of one.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ewtp.domain.errors import DomainError, NotFound
from ewtp.services.planning.capacity import PlanInput, plan_capacity
from ewtp.services.planning.ports import (
    AbstractHubLimits,
    AbstractPlanSolver,
    PlanJob,
    PlanningUnitOfWork,
)

__all__ = ["create_plan_job", "get_plan_job", "recent_plan_jobs", "run_plan_job"]

log = logging.getLogger("ewtp.planning")


def create_plan_job(
    uow: PlanningUnitOfWork, account_id: str, week: str, request: dict[str, Any], now: datetime
) -> PlanJob:
    job = PlanJob(str(uuid.uuid4()), account_id, "queued", week, now, request)
    with uow:
        uow.plans.add(job)
        uow.commit()
    return job


def recent_plan_jobs(uow: PlanningUnitOfWork, limit: int = 50) -> list[PlanJob]:
    """The newest plan jobs, newest first."""
    with uow:
        return uow.plans.recent(limit)


def get_plan_job(uow: PlanningUnitOfWork, job_id: str) -> PlanJob:
    with uow:
        job = uow.plans.get(job_id)
    if job is None:
        raise NotFound("no such plan", field="plan_id")
    return job


def run_plan_job(
    make_uow: Callable[[], PlanningUnitOfWork],
    solver: AbstractPlanSolver,
    job: PlanJob,
    request: PlanInput,
    *,
    clock: Callable[[], datetime],
    hub_limits: AbstractHubLimits | None = None,
) -> PlanJob:
    """Run the plan and record the outcome: done with the plan, or failed with why."""
    with make_uow() as uow:
        uow.plans.update(replace(job, status="running"))
        uow.commit()
    try:
        plan = plan_capacity(make_uow(), solver, request, hub_limits=hub_limits)
        done = replace(job, status="done", result=plan.to_json(), finished_at=clock())
    except DomainError as exc:
        done = replace(job, status="failed", message=str(exc), finished_at=clock())
    except Exception as exc:  # a background job must end in a state, never stay "running"
        log.exception("plan %s failed", job.id)
        done = replace(job, status="failed", message=f"internal error ({type(exc).__name__})",
                       finished_at=clock())  # fmt: skip
    with make_uow() as uow:
        uow.plans.update(done)
        uow.commit()
    return done

"""Capacity plans: queue a week's plan (operators only) and read it when it is done.

`POST /v1/plans` checks every row first (a bad one is a 422 naming `forecast[i].field`),
then stores a queued job and runs it in the background; `GET /v1/plans/{id}` returns the
job, with the whole plan once its status is `done`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.planning.uow import SqlAlchemyPlanningUnitOfWork
from ewtp.adapters.highs import HighsPlanSolver
from ewtp.adapters.planning.hub_limits import HubModelLimits
from ewtp.domain.errors import NotFound
from ewtp.domain.planning.parameters import PlanParameters
from ewtp.http.deps import OperatorDep, SessionFactoryDep
from ewtp.services.planning.capacity import PlanInput
from ewtp.services.planning.checks import check_plan_input
from ewtp.services.planning.jobs import create_plan_job, get_plan_job, run_plan_job
from ewtp.services.planning.ports import PlanJob

__all__ = ["router"]

router = APIRouter(prefix="/v1/plans", tags=["planning"])


def get_planning_uow(factory: SessionFactoryDep) -> SqlAlchemyPlanningUnitOfWork:
    return SqlAlchemyPlanningUnitOfWork(factory)


PlanningUowDep = Annotated[SqlAlchemyPlanningUnitOfWork, Depends(get_planning_uow)]


class ForecastRowIn(BaseModel):
    origin: str
    destination: str
    ready_utc: str
    parcels: str | float
    kg: str | float
    m3: str | float
    service_level: str | None = None


class CandidateIn(BaseModel):
    id: str
    mode: str = "air"
    origin: str
    destination: str
    departure_utc: str
    duration_minutes: str | int
    capacity_kg: str | float
    capacity_m3: str | float
    # Money is a decimal string in the document (a number is still accepted).
    cost_per_kg: Annotated[str | float, WithJsonSchema({"type": "string"}, mode="validation")]
    fixed_cost: Annotated[str | float, WithJsonSchema({"type": "string"}, mode="validation")]


class ParametersIn(BaseModel):
    late_per_parcel_hour: float = Field(0.50, description="EUR per parcel and hour late.")
    unserved_per_parcel: float = Field(24.0, description="EUR per parcel no departure carries.")
    horizon_days: int = Field(7, description="Days past the week whose departures count.")
    hub_limits: bool = Field(
        False, description="Bound parcels per hour into hubs with a hub model (LGG, HGH)."
    )


class PlanCreate(BaseModel):
    """A week's forecast, optional candidate capacity and the penalties."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "week": "2026-11-09",
                    "forecast": [
                        {"origin": "HGH", "destination": "FR", "ready_utc": "2026-11-11T02:00:00Z",
                         "parcels": "1200", "kg": "1440", "m3": "9.6"},
                    ],
                    "candidates": [],
                }
            ]
        }
    )  # fmt: skip
    week: date
    forecast: list[ForecastRowIn] = Field(min_length=1)
    candidates: list[CandidateIn] = Field(default_factory=list)
    parameters: ParametersIn = Field(default_factory=ParametersIn)


class PlanPublic(BaseModel):
    id: str
    status: str = Field(description="queued, running, done or failed")
    week: str
    created_at: datetime
    finished_at: datetime | None
    message: str | None
    plan: dict[str, Any] | None = Field(
        None,
        description="When done: proof, totals, bottlenecks, candidates, departures, commodities.",
    )


def _public(job: PlanJob) -> PlanPublic:
    return PlanPublic(
        id=job.id, status=job.status, week=job.week, created_at=job.created_at,
        finished_at=job.finished_at, message=job.message, plan=job.result,
    )  # fmt: skip


@router.post("", response_model=PlanPublic, status_code=202)
def create_plan(
    body: PlanCreate, tasks: BackgroundTasks, uow: PlanningUowDep, principal: OperatorDep,
    factory: SessionFactoryDep,
) -> Any:  # fmt: skip
    """Queue a capacity plan for a week; poll `GET /v1/plans/{id}` for the result."""
    p = body.parameters
    request = PlanInput(
        week=body.week,
        forecast=[r.model_dump() for r in body.forecast],
        candidates=[c.model_dump() for c in body.candidates],
        params=PlanParameters(p.late_per_parcel_hour, p.unserved_per_parcel, p.horizon_days),
    )
    check_plan_input(uow, request)
    job = create_plan_job(
        uow, principal.account_id, body.week.isoformat(),
        body.model_dump(mode="json", include={"week", "parameters"}), utcnow(),
    )  # fmt: skip
    tasks.add_task(
        run_plan_job, lambda: SqlAlchemyPlanningUnitOfWork(factory), HighsPlanSolver(), job,
        request, clock=utcnow, hub_limits=HubModelLimits() if p.hub_limits else None,
    )  # fmt: skip
    return _public(job)


@router.get("/{plan_id}", response_model=PlanPublic, name="get_plan")
def read_plan(plan_id: str, uow: PlanningUowDep, principal: OperatorDep) -> Any:
    """A plan job: its status and, once done, the plan."""
    job = get_plan_job(uow, plan_id)
    if job.account_id != principal.account_id:
        raise NotFound("no such plan", field="plan_id")
    return _public(job)

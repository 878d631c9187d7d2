"""/v1/simulations: start a peak-day simulation as a background job, list and read runs."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.simulation.uow import SqlAlchemySimulationUnitOfWork
from ewtp.adapters.simulation.files import read_scenario
from ewtp.adapters.simulation.runners import InlineRunner
from ewtp.adapters.simulation.simulator import SimpySimulator
from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.http.deps import OperatorDep, SessionFactoryDep
from ewtp.services.simulation.jobs import (
    create_simulation,
    get_simulation,
    list_simulations,
    run_simulation_job,
)
from ewtp.services.simulation.ports import SimulationRun

__all__ = ["router"]

router = APIRouter(prefix="/v1/simulations", tags=["simulation"])


def get_simulation_uow(factory: SessionFactoryDep) -> SqlAlchemySimulationUnitOfWork:
    return SqlAlchemySimulationUnitOfWork(factory)


SimulationUowDep = Annotated[SqlAlchemySimulationUnitOfWork, Depends(get_simulation_uow)]


class SimulationCreate(BaseModel):
    """A shipped scenario by name, or a whole scenario document, with what-ifs."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "scenario_name": "liege-11-11.toml",
                    "set": ["sorter.rate=+20%"],
                    "replications": 5,
                    "seed": 7,
                }
            ]
        }
    )
    scenario_name: str | None = Field(
        None, description="A shipped scenario, e.g. liege-11-11.toml."
    )
    scenario: dict[str, Any] | None = Field(
        None, description="A scenario document (the TOML as JSON)."
    )
    set: list[str] = Field(default_factory=list, description="key=value overrides.")
    replications: int = Field(5, ge=1, le=100)
    seed: int = Field(7, ge=0)


class SimulationPublic(BaseModel):
    id: str
    status: str = Field(description="queued, running, done or failed")
    scenario: str
    created_at: datetime
    finished_at: datetime | None
    message: str | None
    result: dict[str, Any] | None = Field(
        None, description="When done: totals, stages, hourly series."
    )


class SimulationsPublic(BaseModel):
    data: list[SimulationPublic]
    count: int


def _public(run: SimulationRun, *, full: bool = True) -> SimulationPublic:
    return SimulationPublic(
        id=run.id, status=run.status, scenario=run.scenario, created_at=run.created_at,
        finished_at=run.finished_at, message=run.message, result=run.result if full else None,
    )  # fmt: skip


@router.post("", response_model=SimulationPublic, status_code=202)
def create_simulation_run(
    body: SimulationCreate, tasks: BackgroundTasks, uow: SimulationUowDep, principal: OperatorDep,
    factory: SessionFactoryDep,
) -> Any:  # fmt: skip
    """Queue a simulation run; poll `GET /v1/simulations/{id}` for its result."""
    if (body.scenario is None) == (body.scenario_name is None):
        raise InvalidInput("give exactly one of scenario_name and scenario", field="scenario_name")
    doc = (
        body.scenario
        if body.scenario is not None
        else read_scenario(Path(Path(str(body.scenario_name)).name))
    )
    run = create_simulation(
        uow, principal.account_id, doc, body.set, body.replications, body.seed, utcnow()
    )
    tasks.add_task(
        run_simulation_job, lambda: SqlAlchemySimulationUnitOfWork(factory), SimpySimulator(),
        InlineRunner(), run, utcnow,
    )  # fmt: skip
    return _public(run)


@router.get("", response_model=SimulationsPublic)
def list_simulation_runs(
    uow: SimulationUowDep, principal: OperatorDep, limit: int = Query(50, ge=1, le=500)
) -> Any:
    """The latest simulation runs of this account (without their results)."""
    runs = [r for r in list_simulations(uow, limit) if r.account_id == principal.account_id]
    return SimulationsPublic(data=[_public(r, full=False) for r in runs], count=len(runs))


@router.get("/{simulation_id}", response_model=SimulationPublic)
def read_simulation_run(simulation_id: str, uow: SimulationUowDep, principal: OperatorDep) -> Any:
    """One run: its status and, once done, its KPIs with 95% intervals."""
    run = get_simulation(uow, simulation_id)
    if run.account_id != principal.account_id:
        raise NotFound("no such simulation run", field="simulation_id")
    return _public(run)

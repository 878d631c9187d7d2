"""Simulation runs as background jobs: queue one, run it, read it back, list them.

A run ends `done` with its summary or `failed` with the reason, whatever the exception;
runs a server restart interrupted are marked failed at start-up (`fail_interrupted`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from ewtp.domain.errors import DomainError, NotFound
from ewtp.services.simulation.ports import (
    AbstractReplicationRunner,
    AbstractSimulator,
    SimulationRun,
    SimulationUnitOfWork,
)
from ewtp.services.simulation.run import prepare_scenario, run_simulation

__all__ = [
    "create_simulation",
    "fail_interrupted",
    "get_simulation",
    "list_simulations",
    "run_simulation_job",
]

log = logging.getLogger("ewtp.simulation")
INTERRUPTED = "interrupted: the server stopped before the run finished"


def create_simulation(
    uow: SimulationUnitOfWork, account_id: str, doc: Mapping[str, Any], sets: list[str],
    replications: int, seed: int, now: datetime,
) -> SimulationRun:  # fmt: skip
    """Validate the scenario (errors name the key) and queue a run of it."""
    scenario = prepare_scenario(doc, sets)
    request = {"scenario": dict(doc), "set": sets, "replications": replications, "seed": seed}
    run = SimulationRun(str(uuid.uuid4()), account_id, "queued", scenario.name, now, request)
    with uow:
        uow.runs.add(run)
        uow.commit()
    return run


def run_simulation_job(
    make_uow: Callable[[], SimulationUnitOfWork],
    simulator: AbstractSimulator,
    runner: AbstractReplicationRunner,
    run: SimulationRun,
    clock: Callable[[], datetime],
) -> SimulationRun:
    with make_uow() as uow:
        uow.runs.update(replace(run, status="running"))
        uow.commit()
    request = run.request
    try:
        scenario = prepare_scenario(request["scenario"], list(request["set"]))
        result = run_simulation(
            scenario, simulator, runner, int(request["replications"]), int(request["seed"])
        )
        done = replace(run, status="done", result=result.summary.as_dict(), finished_at=clock())
    except DomainError as exc:
        done = replace(run, status="failed", message=str(exc), finished_at=clock())
    except Exception as exc:  # a background job always ends in a state
        log.exception("simulation %s failed", run.id)
        done = replace(
            run,
            status="failed",
            message=f"internal error ({type(exc).__name__}: {exc})",
            finished_at=clock(),
        )
    with make_uow() as uow:
        uow.runs.update(done)
        uow.commit()
    return done


def get_simulation(uow: SimulationUnitOfWork, run_id: str) -> SimulationRun:
    with uow:
        run = uow.runs.get(run_id)
    if run is None:
        raise NotFound("no such simulation run", field="simulation_id")
    return run


def list_simulations(uow: SimulationUnitOfWork, limit: int = 50) -> list[SimulationRun]:
    with uow:
        return uow.runs.recent(limit)


def fail_interrupted(uow: SimulationUnitOfWork, now: datetime) -> int:
    with uow:
        count = uow.runs.fail_unfinished(INTERRUPTED, now)
        uow.commit()
    return count

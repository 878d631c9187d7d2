"""What the simulation use cases need from the outside: a model and a way to run it."""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ewtp.domain.simulation.results import Replication
from ewtp.domain.simulation.scenario import HubScenario, NetworkScenario
from ewtp.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractReplicationRunner",
    "AbstractSimulationRuns",
    "AbstractSimulator",
    "Progress",
    "SimulationRun",
    "SimulationUnitOfWork",
]

Progress = Callable[[int, int], None]  # (done, total)


class AbstractSimulator(abc.ABC):
    """Runs one replication of a scenario (prepared once, run many times)."""

    @abc.abstractmethod
    def prepare(self, scenario: NetworkScenario | HubScenario) -> object:
        """Everything replications share (timetable, hub context, ULDs); picklable."""

    @abc.abstractmethod
    def replicate(self, prepared: object, seed: int, index: int) -> Replication: ...


class AbstractReplicationRunner(abc.ABC):
    """Runs replications in order of index, locally or on a cluster."""

    @abc.abstractmethod
    def run(
        self,
        simulator: AbstractSimulator,
        prepared: object,
        seed: int,
        indices: Sequence[int],
        progress: Progress,
    ) -> list[Replication]: ...


@dataclass(frozen=True, slots=True)
class SimulationRun:
    """A stored run: queued -> running -> done | failed (never left half-written)."""

    id: str
    account_id: str
    status: str
    scenario: str
    created_at: datetime
    request: dict[str, Any]
    result: dict[str, Any] | None = None
    message: str | None = None
    finished_at: datetime | None = None


class AbstractSimulationRuns(abc.ABC):
    @abc.abstractmethod
    def add(self, run: SimulationRun) -> None: ...

    @abc.abstractmethod
    def get(self, run_id: str) -> SimulationRun | None: ...

    @abc.abstractmethod
    def update(self, run: SimulationRun) -> None: ...

    @abc.abstractmethod
    def recent(self, limit: int) -> list[SimulationRun]: ...

    @abc.abstractmethod
    def fail_unfinished(self, message: str, now: datetime) -> int:
        """Mark queued and running runs failed (after a restart nothing runs them)."""


class SimulationUnitOfWork(AbstractUnitOfWork):
    runs: AbstractSimulationRuns

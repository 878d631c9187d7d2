"""Ports of capacity planning: the solver, the plan store and the hub throughput source."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ewtp.domain.planning.bookings import Booking
from ewtp.domain.planning.departures import HubLimit
from ewtp.domain.planning.expansion import PlanModel
from ewtp.domain.planning.readout import Solution
from ewtp.services.network.ports import NetworkUnitOfWork

__all__ = [
    "AbstractHubLimits",
    "AbstractPlanRepository",
    "AbstractPlanSolver",
    "NoHubLimits",
    "PlanJob",
    "PlanningUnitOfWork",
]


class AbstractPlanSolver(abc.ABC):
    """Solves a `PlanModel` to proven optimality (or to the MIP gap)."""

    @abc.abstractmethod
    def solve(self, model: PlanModel) -> Solution: ...


class AbstractHubLimits(abc.ABC):
    """Hub throughput per hour, from the hub model where one exists.

    The hub model (`data/hubs/<code>/`) is not part of this branch yet; until it is, the
    default source has no limits and the model has no hub-hour rows. An adapter that
    reads it returns one `HubLimit` per hub it describes.
    """

    @abc.abstractmethod
    def limits(self) -> Sequence[HubLimit]: ...


class NoHubLimits(AbstractHubLimits):
    def limits(self) -> Sequence[HubLimit]:
        return ()


@dataclass(frozen=True, slots=True)
class PlanJob:
    """A plan computed in the background: queued, running, done (with the plan) or failed."""

    id: str
    account_id: str
    status: str
    week: str
    created_at: datetime
    request: dict[str, Any]
    result: dict[str, Any] | None = None
    message: str | None = None
    finished_at: datetime | None = None


class AbstractPlanRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, job: PlanJob) -> None: ...

    @abc.abstractmethod
    def get(self, job_id: str) -> PlanJob | None: ...

    @abc.abstractmethod
    def update(self, job: PlanJob) -> None: ...

    @abc.abstractmethod
    def booked(self, start: datetime, end: datetime) -> list[Booking]:
        """Booked, not cancelled, shipments ready in [start, end)."""


class PlanningUnitOfWork(NetworkUnitOfWork):
    """Sees the network (for the timetable) and the plans."""

    plans: AbstractPlanRepository

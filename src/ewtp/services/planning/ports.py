"""Ports of capacity planning: the solver, the plan store and the hub throughput source."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ewtp.domain.network.model import NetworkSnapshot
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

    `adapters/planning/hub_limits.HubModelLimits` reads the built-in hub models
    (`data/hubs/<code>/`); `NoHubLimits` leaves the hubs unbounded (the default).
    """

    @abc.abstractmethod
    def limits(self, snapshot: NetworkSnapshot, week: date) -> Sequence[HubLimit]: ...


class NoHubLimits(AbstractHubLimits):
    def limits(self, snapshot: NetworkSnapshot, week: date) -> Sequence[HubLimit]:  # noqa: ARG002
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
    def recent(self, limit: int) -> list[PlanJob]:
        """The newest `limit` plan jobs, newest first (the console's list)."""

    @abc.abstractmethod
    def booked(self, start: datetime, end: datetime) -> list[Booking]:
        """Booked, not cancelled, shipments ready in [start, end)."""


class PlanningUnitOfWork(NetworkUnitOfWork):
    """Sees the network (for the timetable) and the plans."""

    plans: AbstractPlanRepository

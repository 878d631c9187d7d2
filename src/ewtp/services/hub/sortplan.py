"""Use case: the sort plan of a hub's local day (every outbound departure of that day)."""

from __future__ import annotations

from datetime import date

from ewtp.domain.hub import PlannedDeparture, SortPlan
from ewtp.services.hub.context import sort_context
from ewtp.services.hub.ports import HubUnitOfWork

__all__ = ["build_sort_plan", "day_departures"]


def build_sort_plan(uow: HubUnitOfWork, hub: str, day: date) -> SortPlan:
    """The plan the sort decisions of `day` use (it also covers the next days)."""
    return sort_context(uow, hub, day).plan


def day_departures(uow: HubUnitOfWork, hub: str, day: date) -> tuple[PlannedDeparture, ...]:
    """The plan's departures leaving on the hub's local date `day`."""
    context = sort_context(uow, hub, day)
    return context.plan.on_day(day, context.local_date)

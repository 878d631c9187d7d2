"""`build_forecast`: a week's forecast from a demand scenario or from booked shipments."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ewtp.domain.errors import InvalidInput
from ewtp.domain.planning.bookings import forecast_from_bookings
from ewtp.domain.planning.demand import forecast_from_demand, parse_scenario
from ewtp.domain.planning.forecast import ForecastRow, parse_forecast, week_bounds
from ewtp.services.network.ports import require_snapshot
from ewtp.services.planning.ports import PlanningUnitOfWork

__all__ = ["build_forecast"]


def build_forecast(
    uow: PlanningUnitOfWork, week: date, *, scenario: Mapping[str, Any] | None = None
) -> list[ForecastRow]:
    """From `scenario` (its demand) when given, else from the week's booked shipments.

    The result is checked against the stored network like any uploaded forecast, so a
    scenario naming a hub or zone the network lacks is an error, not a silent drop.
    """
    start, end = week_bounds(week)
    snap = require_snapshot(uow)
    if scenario is not None:
        rows = forecast_from_demand(parse_scenario(scenario), week)
    else:
        with uow:
            rows = forecast_from_bookings(uow.plans.booked(start, end))
    records = [
        {"origin": r.origin, "destination": r.destination, "ready_utc": r.ready_utc,
         "parcels": str(r.parcels), "kg": str(r.kg), "m3": str(r.m3),
         "service_level": r.service_level}
        for r in rows
    ]  # fmt: skip
    if scenario is not None and not records:
        raise InvalidInput("the scenario has no parcels", field="parcels")
    return parse_forecast(
        records, (h.code for h in snap.hubs), (z.country for z in snap.zones), week,
        where="scenario" if scenario is not None else "shipments", first=1,
    )  # fmt: skip

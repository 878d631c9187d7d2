"""The 72-hour coverage heatmap: delivery zone x hour of the week for one origin.

Rows and cells come from `services/network/coverage.coverage_grid`, the grid behind
`ewtp network coverage`, so a row's share met is the CLI's `met_share` for that zone.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.domain.errors import DomainError, InvalidInput
from ewtp.domain.network.routing import PROMISE
from ewtp.services.network import views
from ewtp.services.network.coverage import coverage_grid, coverage_report
from ewtp.services.network.ports import NetworkUnitOfWork
from ewtp.web.operator.common import OperatorOnly, csv_response, network_uow
from ewtp.web.operator.network import this_monday
from ewtp.web.pages import CsrfDep, field_errors, render

__all__ = ["CELL_COLUMNS", "cells", "router"]

router = APIRouter(prefix="/console", include_in_schema=False, dependencies=[CsrfDep])
CELL_COLUMNS = ["origin", "zone", "hub", "ready_utc", "hour_of_week", "hours", "met"]
PROMISE_HOURS = PROMISE.total_seconds() / 3600
CELL, LABEL = 6, 40


def week_of(raw: str | None) -> date:
    if not raw:
        return this_monday()
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {raw!r}", field="week") from exc
    return day - timedelta(days=day.weekday())


def cells(
    origin: str, monday: date, grid: dict[str, tuple[str, list[float]]]
) -> list[dict[str, Any]]:
    """One cell per (zone, ready hour): door-to-door hours (None: not delivered) and
    whether the 72-hour promise is met."""
    start = datetime.combine(monday, datetime.min.time(), tzinfo=UTC)
    out = []
    for zone, (hub, hours) in grid.items():
        for hour, h in enumerate(hours):
            ready = (start + timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%MZ")
            value = None if math.isinf(h) else round(h, 2)
            met = value is not None and h <= PROMISE_HOURS
            out.append({"origin": origin, "zone": zone, "hub": hub, "ready_utc": ready,
                        "hour_of_week": hour, "hours": value, "met": met})  # fmt: skip
    return out


def _grid(uow: NetworkUnitOfWork, origin: str, monday: date) -> dict[str, tuple[str, list[float]]]:
    return {zone: (hub, hours) for _, zone, hub, hours in coverage_grid(uow, origin, monday)}


def colour(hours: float | None) -> str:
    if hours is None:
        return "#6b6b6b"
    if hours <= PROMISE_HOURS:
        return "#1b7f3b" if hours <= PROMISE_HOURS * 0.75 else "#7cc68d"
    return "#c0392b"


@router.get("/coverage")
def coverage_page(
    request: Request, viewer: OperatorOnly, origin: str = "HGH", week: str | None = None
) -> Response:
    errors: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    grid_cells: list[dict[str, Any]] = []
    monday = this_monday()
    try:
        monday = week_of(week)
        uow = network_uow(request)
        grid = _grid(uow, origin, monday)
        rows = [views.coverage_row(r) for r in coverage_report(uow, origin, monday)]
        grid_cells = cells(origin.upper(), monday, grid)
    except DomainError as exc:
        errors = field_errors(exc)
    zones = [r["zone"] for r in rows]
    drawn = [
        c | {"x": LABEL + c["hour_of_week"] * CELL, "y": zones.index(c["zone"]) * 14,
             "fill": colour(c["hours"])}
        for c in grid_cells
    ]  # fmt: skip
    context = {
        "origin": origin.upper(), "monday": monday, "rows": rows, "cells": drawn,
        "errors": errors, "width": LABEL + 168 * CELL, "height": max(1, len(zones)) * 14 + 16,
        "cell": CELL, "label": LABEL, "zones": zones,
    }  # fmt: skip
    status = 422 if errors else 200
    return render(request, "operator/coverage.html", context, status_code=status)


@router.get("/coverage.csv")
def coverage_csv(
    request: Request, viewer: OperatorOnly, origin: str = "HGH", week: str | None = None
) -> Response:
    monday = week_of(week)
    grid = _grid(network_uow(request), origin, monday)
    name = f"coverage-{origin.upper()}-{monday}.csv"
    return csv_response(name, CELL_COLUMNS, cells(origin.upper(), monday, grid))

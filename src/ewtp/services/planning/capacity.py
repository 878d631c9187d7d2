"""`plan_capacity`: a week's forecast onto the timetable's departures, optimally.

The use case reads the stored network, checks the forecast and candidate rows (errors
name the row and field), aggregates commodities exactly, builds the time-expanded model
and hands it to the solver port. `prepare_model` is the same without a database, for
tests and benchmarks.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ewtp.domain.network.model import NetworkSnapshot
from ewtp.domain.planning.commodities import aggregate
from ewtp.domain.planning.departures import (
    HubLimit,
    candidate_departures,
    parse_candidates,
    week_departures,
)
from ewtp.domain.planning.expansion import PlanModel, build_model
from ewtp.domain.planning.forecast import ForecastRow, parse_forecast, week_bounds
from ewtp.domain.planning.parameters import PlanParameters
from ewtp.domain.planning.readout import read_plan
from ewtp.domain.planning.results import Plan
from ewtp.services.network.ports import NetworkUnitOfWork, require_snapshot
from ewtp.services.planning.ports import AbstractHubLimits, AbstractPlanSolver, NoHubLimits

__all__ = ["PlanInput", "parse_input", "plan_capacity", "prepare_model"]

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class PlanInput:
    """Raw rows as read from a file or a request; `first` numbers the first row in errors."""

    week: date
    forecast: Sequence[Mapping[str, Any]]
    candidates: Sequence[Mapping[str, Any]] = ()
    params: PlanParameters = field(default_factory=PlanParameters)
    forecast_name: str = "forecast"
    candidates_name: str = "candidates"
    first: int = 0


def parse_input(
    snap: NetworkSnapshot, request: PlanInput
) -> tuple[list[ForecastRow], list[Mapping[str, Any]]]:
    """Check the forecast against the network and week; the first bad field raises."""
    rows = parse_forecast(
        request.forecast, (h.code for h in snap.hubs), (z.country for z in snap.zones),
        request.week, where=request.forecast_name, first=request.first,
    )  # fmt: skip
    return rows, list(request.candidates)


def prepare_model(
    snap: NetworkSnapshot,
    request: PlanInput,
    limits: Sequence[HubLimit] = (),
) -> PlanModel:
    """The whole model for `request` on the network `snap`."""
    rows, raw_candidates = parse_input(snap, request)
    start, end = week_bounds(request.week)
    horizon_end = end + timedelta(days=request.params.horizon_days)
    candidates = parse_candidates(
        raw_candidates, (h.code for h in snap.hubs), start, horizon_end,
        where=request.candidates_name, first=request.first,
    )  # fmt: skip
    departures = week_departures(snap.services, snap.hubs, start, horizon_end)
    departures += candidate_departures(candidates)
    commodities = aggregate(rows, {z.country: z for z in snap.zones})
    mct = {h.code: h.min_connection_minutes for h in snap.hubs}
    return build_model(start, departures, mct, commodities, request.params, limits)


def plan_capacity(
    uow: NetworkUnitOfWork,
    solver: AbstractPlanSolver,
    request: PlanInput,
    *,
    hub_limits: AbstractHubLimits | None = None,
    progress: Progress | None = None,
) -> Plan:
    """The optimal plan of `request`'s week on the stored network, with its proof."""
    say = progress or (lambda _stage: None)
    say("reading the network")
    snap = require_snapshot(uow)
    say("building the model")
    limits = (hub_limits or NoHubLimits()).limits(snap, request.week)
    model = prepare_model(snap, request, limits)
    say(f"solving {model.num_cols:,} columns x {model.num_rows:,} rows")
    solution = solver.solve(model)
    say("reading the plan")
    return read_plan(model, solution, request.params, request.week)

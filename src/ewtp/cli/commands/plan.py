"""`ewtp plan capacity` (a week's forecast on the timetable, optimally) and
`ewtp plan forecast` (a forecast from a demand scenario or from booked shipments)."""

from __future__ import annotations

import enum
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit, err_console, resolve_format
from ewtp.domain.errors import InvalidInput
from ewtp.domain.planning.departures import CANDIDATE_COLUMNS
from ewtp.domain.planning.forecast import FORECAST_COLUMNS, forecast_records
from ewtp.domain.planning.parameters import PlanParameters
from ewtp.domain.planning.results import Plan

__all__ = ["register"]

plan_app = typer.Typer(
    help="Capacity planning: forecasts and optimal weekly plans.", no_args_is_help=True
)


class Rows(enum.StrEnum):
    SUMMARY = "summary"
    DEPARTURES = "departures"
    COMMODITIES = "commodities"
    BOTTLENECKS = "bottlenecks"
    CANDIDATES = "candidates"


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")


def _week(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"not a date (YYYY-MM-DD): {raw!r}", field="--week") from exc


def _uow() -> Any:
    from ewtp.adapters.db.planning.uow import SqlAlchemyPlanningUnitOfWork

    return SqlAlchemyPlanningUnitOfWork(context.session_factory())


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
        console=err_console, transient=True,
    )  # fmt: skip


SUMMARY_COLUMNS = ["figure", "value"]
BOTTLENECK_COLUMNS = ["lane", "day", "departures", "load_factor", "shadow_kg", "shadow_m3"]
CANDIDATE_TABLE = ["id", "departure_utc", "fixed_cost", "open", "kg", "saving"]


def _summary(plan: Plan) -> list[dict[str, Any]]:
    p, t = plan.proof, plan.totals
    rows: list[tuple[str, Any]] = [
        ("status", p.status), ("objective_eur", round(p.objective, 2)),
        ("dual_bound_eur", round(p.dual_bound, 2)), ("relative_gap", f"{p.relative_gap:.2e}"),
        ("duals", p.duals), ("parcels", round(t.parcels)), ("on_time", round(t.on_time)),
        ("on_time_share", f"{t.on_time_share:.4f}"), ("late", round(t.late)),
        ("late_parcel_hours", round(t.late_parcel_hours)), ("unserved", round(t.unserved)),
        ("transport_cost_eur", round(t.transport_cost, 2)),
        ("late_cost_eur", round(t.late_cost, 2)), ("unserved_cost_eur", round(t.unserved_cost, 2)),
        ("candidates_fixed_cost_eur", round(t.fixed_cost, 2)),
        ("model", f"{p.columns:,} columns x {p.rows:,} rows, {p.nonzeros:,} nonzeros"),
    ]  # fmt: skip
    return [{"figure": k, "value": v} for k, v in rows]


def _rows(plan: Plan, which: Rows) -> list[dict[str, Any]]:
    if which is Rows.SUMMARY:
        return _summary(plan)
    items: Any = {
        Rows.DEPARTURES: plan.departures, Rows.COMMODITIES: plan.commodities,
        Rows.BOTTLENECKS: plan.bottlenecks, Rows.CANDIDATES: plan.candidates,
    }[which]  # fmt: skip
    return [i.to_json() for i in items]


@plan_app.command("capacity")
def capacity(
    forecast: Path = typer.Option(..., "--forecast", help="Forecast .csv or .parquet: "
                                  + ",".join(FORECAST_COLUMNS) + " (service_level optional)."),
    week: str = typer.Option(..., "--week", help="The Monday the week starts, YYYY-MM-DD (UTC)."),
    candidates: Path | None = typer.Option(None, "--candidates", help="Candidate capacity .csv: "
                                           + ",".join(CANDIDATE_COLUMNS) + "."),
    late_penalty: float = typer.Option(0.50, "--late-penalty", help="EUR per parcel-hour late."),
    unserved_penalty: float = typer.Option(24.0, "--unserved-penalty", help="EUR per parcel not carried."),
    horizon_days: int = typer.Option(7, "--horizon-days", help="Days past the week whose departures count."),
    hub_limits: bool = typer.Option(False, "--hub-limits", help="Bound parcels per hour into hubs with a hub model (data/hubs/: LGG, HGH)."),
    rows: Rows | None = typer.Option(None, "--rows", help="What csv/table rows list (default: departures for csv, a summary for table)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:  # fmt: skip
    """Plan a week's forecast onto the departures: loads, late parcels, bottlenecks, proof."""
    from ewtp.adapters.highs import HighsPlanSolver
    from ewtp.adapters.planning.files import read_rows
    from ewtp.adapters.planning.hub_limits import HubModelLimits
    from ewtp.services.planning.capacity import PlanInput, plan_capacity

    params = PlanParameters(late_penalty, unserved_penalty, horizon_days)
    monday = _week(week)
    with _progress() as bar:
        task = bar.add_task("reading the forecast", total=None)
        records = read_rows(forecast, FORECAST_COLUMNS[:-1], option="--forecast")
        cands = (
            read_rows(candidates, CANDIDATE_COLUMNS, option="--candidates") if candidates else []
        )
        request = PlanInput(monday, records, cands, params, forecast.name,
                            candidates.name if candidates else "candidates", first=1)  # fmt: skip
        plan = plan_capacity(
            _uow(), HighsPlanSolver(), request,
            hub_limits=HubModelLimits() if hub_limits else None,
            progress=lambda stage: bar.update(task, description=stage),
        )  # fmt: skip
    chosen = resolve_format(fmt)
    if chosen is OutputFormat.JSON and rows is None:
        emit(plan.to_json(), fmt)
        return
    if chosen is OutputFormat.TABLE and rows is None:
        _print_tables(plan)
        return
    which = rows or Rows.DEPARTURES
    data = _rows(plan, which)
    emit(data, fmt, list(data[0]) if data else None, title=f"{which.value}, week {monday}")


def _print_tables(plan: Plan) -> None:
    emit(_summary(plan), OutputFormat.TABLE, SUMMARY_COLUMNS, title=f"plan for week {plan.week}")
    if plan.bottlenecks:
        top = [b.to_json() for b in plan.bottlenecks[:10]]
        emit(
            top, OutputFormat.TABLE, BOTTLENECK_COLUMNS, title="bottleneck lanes and days (top 10)"
        )
    if plan.candidates:
        cands = [c.to_json() for c in plan.candidates]
        emit(cands, OutputFormat.TABLE, CANDIDATE_TABLE, title="candidates (saving in EUR)")
    Console(stderr=True).print(
        "[dim]--rows departures|commodities|bottlenecks|candidates for every row[/dim]"
    )


@plan_app.command("forecast")
def forecast_cmd(
    week: str = typer.Option(..., "--week", help="The Monday the week starts, YYYY-MM-DD (UTC)."),
    scenario: Path | None = typer.Option(None, "--scenario", help="Demand scenario JSON (e.g. the shipped peak-1111.json); without it, the week's booked shipments."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the forecast to this .csv or .parquet instead of printing it."),
    fmt: OutputFormat | None = FormatOption,
) -> None:  # fmt: skip
    """Build a forecast from a scenario's demand or from booked shipments."""
    from ewtp.adapters.planning.files import read_json, write_forecast
    from ewtp.services.planning.forecast import build_forecast

    monday = _week(week)
    with _progress() as bar:
        bar.add_task("building the forecast", total=None)
        raw = read_json(scenario, option="--scenario") if scenario else None
        rows = build_forecast(_uow(), monday, scenario=raw)
        if output is not None:
            write_forecast(rows, output)
    if output is not None:
        parcels = sum(r.parcels for r in rows)
        emit({"output": str(output), "rows": len(rows), "parcels": str(parcels)}, fmt)
        return
    emit(forecast_records(rows), fmt, list(FORECAST_COLUMNS))
    sys.stdout.flush()

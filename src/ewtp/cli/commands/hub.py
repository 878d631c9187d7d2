"""`ewtp hub show|load|sortplan|sort|inbound|kpis`: hub operations from the command line."""

from __future__ import annotations

import sys
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.hub.uow import SqlAlchemyHubUnitOfWork
from ewtp.adapters.hub.files import read_hub_rows
from ewtp.adapters.hub.scan_files import read_scan_file, write_decisions
from ewtp.cli import context
from ewtp.cli.commands.network import parse_aware
from ewtp.cli.output import FormatOption, OutputFormat, emit, resolve_format
from ewtp.domain.errors import InvalidInput
from ewtp.services import hub as uc
from ewtp.services.hub import views
from ewtp.services.hub.bulk import decide_scans

__all__ = ["register"]

hub_app = typer.Typer(
    help="Hub operations: model, sort plan, sort decisions, inbound, KPIs.", no_args_is_help=True
)

HubOption = typer.Option("LGG", "--hub", help="Hub code, e.g. LGG.")


def register(app: typer.Typer) -> None:
    app.add_typer(hub_app, name="hub")


def _uow() -> SqlAlchemyHubUnitOfWork:
    return SqlAlchemyHubUnitOfWork(context.session_factory())


def _day(raw: str | None, name: str = "date") -> date:
    if raw is None:
        return utcnow().date()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {raw!r}", field=name) from exc


@hub_app.command("show")
def show(
    code: str = typer.Argument(..., help="Hub code, e.g. LGG."),
    on: str | None = typer.Option(
        None, "--on", help="Model in force on YYYY-MM-DD (default today)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Print the hub model with its processing time (scan to chute)."""
    model = uc.show_hub(_uow(), code, _day(on, "on"))
    if resolve_format(fmt) is OutputFormat.JSON:
        emit(views.model_view(model), OutputFormat.JSON)
        return
    minutes = views.model_view(model)["processing_minutes"]
    title = f"{model.code} {model.name}: processing {minutes} min scan to chute"
    emit(views.model_rows(model), fmt, ["item", "value", "source"], title=title)


@hub_app.command("load")
def load(
    directory: Path = typer.Argument(..., help="Directory with hub.csv, resources.csv, ..."),
    on: str | None = typer.Option(None, "--on", help="Validate as of YYYY-MM-DD (default today)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Validate a hub model directory and store it in place of that hub's model."""
    now = utcnow()
    model = uc.load_hub(_uow(), read_hub_rows(directory), _day(on, "on"), now)
    emit(
        {
            "code": model.code,
            "name": model.name,
            "processing_minutes": views.model_view(model)["processing_minutes"],
            "loaded": True,
        },
        fmt,
    )


@hub_app.command("sortplan")
def sortplan(
    hub: str = HubOption,
    day: str | None = typer.Option(None, "--date", help="Local date YYYY-MM-DD (default today)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """The day's departures with chutes, cut-offs, destinations, and the special chutes."""
    when = _day(day)
    uow = _uow()
    plan = uc.build_sort_plan(uow, hub, when)
    body = views.plan_view(plan, uc.day_departures(uow, hub, when))
    if resolve_format(fmt) is OutputFormat.JSON:
        emit(body, OutputFormat.JSON)
        return
    rows: list[dict[str, Any]] = [
        {**d, "chutes": " ".join(d["chutes"]), "serves": " ".join(d["serves"])}
        for d in body["departures"]
    ]
    for role, chutes in body["special_chutes"].items():
        rows.append({"service_id": f"special:{role}", "chutes": " ".join(chutes)})
    notes = [f"{k}: {', '.join(body[k])}" for k in ("merged", "short", "unplaced") if body[k]]
    title = (
        f"{body['hub']} sort plan {body['date']}: {len(body['departures'])} departures, "
        f"{body['chutes_needed']} of {body['outbound_chutes']} outbound chutes"
        + (f" ({'; '.join(notes)})" if notes else "")
    )
    emit(rows, fmt, views.PLAN_COLUMNS, title=title)


@hub_app.command("sort")
def sort(
    file: Path = typer.Argument(..., help="CSV or Parquet: tracking_number, scanned_at[, ...]."),
    hub: str = HubOption,
    out: Path | None = typer.Option(None, "--out", help="Write every decision to .csv/.parquet."),
    log: bool = typer.Option(False, "--log/--no-log", help="Store them in the decision log."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Decide a whole file of scans; prints the count per reason (decisions go to --out)."""
    scans, facts = read_scan_file(file)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("sorting", total=len(scans))
        decisions = decide_scans(
            _uow(),
            hub,
            scans,
            facts,
            now=utcnow(),
            log=log,
            on_progress=lambda n: progress.advance(task, n),
        )
    if out is not None:
        write_decisions(out, views.decision_columns(decisions))
    counts = Counter(d.reason.value for d in decisions)
    emit(
        [{"reason": r, "parcels": n} for r, n in sorted(counts.items())]
        + [{"reason": "total", "parcels": len(decisions)}],
        fmt,
        ["reason", "parcels"],
    )


@hub_app.command("inbound")
def inbound(
    hub: str = HubOption,
    day: str | None = typer.Option(None, "--date", help="Local date YYYY-MM-DD (default today)."),
    by: str = typer.Option("service", "--by", help="service or hour (table and CSV)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Expected parcels, kg, m³ and ULDs per arriving service (or per hour)."""
    if by not in ("service", "hour"):
        raise InvalidInput("must be service or hour", field="by")
    body = views.inbound_view(uc.forecast_inbound(_uow(), hub, _day(day)))
    if resolve_format(fmt) is OutputFormat.JSON:
        emit(body, OutputFormat.JSON)
        return
    rows = body["services"] if by == "service" else body["hours"]
    emit(rows, fmt, list(rows[0].keys()) if rows else None, title=f"{body['hub']} inbound")


@hub_app.command("kpis")
def kpis(
    hub: str = HubOption,
    start: str | None = typer.Option(
        None, "--from", help="ISO 8601 with offset (default to - 24 h)."
    ),
    end: str | None = typer.Option(None, "--to", help="ISO 8601 with offset (default now)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Throughput per hour, dwell p50/p95, backlog, cut-off misses, promises at risk."""
    stop: datetime = parse_aware(end, "to") if end else utcnow()
    begin = parse_aware(start, "from") if start else stop - timedelta(hours=24)
    body = views.kpis_view(uc.compute_hub_kpis(_uow(), hub, begin, stop))
    if resolve_format(fmt) is OutputFormat.JSON:
        emit(body, OutputFormat.JSON)
        return
    rows = [
        {"kpi": "backlog", "value": body["backlog"]},
        {"kpi": "dwell_count", "value": body["dwell"]["count"]},
        {"kpi": "dwell_p50_minutes", "value": body["dwell"]["p50_minutes"]},
        {"kpi": "dwell_p95_minutes", "value": body["dwell"]["p95_minutes"]},
        {"kpi": "promise_at_risk", "value": body["promise_at_risk"]["count"]},
        *(
            {"kpi": f"cutoff_misses {m['service_id']}@{m['departure_utc']}", "value": m["rerouted"]}
            for m in body["cutoff_misses"]
        ),
        *(
            {
                "kpi": f"throughput {h['hour_utc']}",
                "value": f"arrived {h['arrived']} departed {h['departed']} decided {h['decided']}",
            }
            for h in body["throughput"]
            if h["arrived"] or h["departed"] or h["decided"]
        ),
    ]
    emit(rows, fmt, ["kpi", "value"], title=f"{body['hub']} KPIs {body['from']} - {body['to']}")

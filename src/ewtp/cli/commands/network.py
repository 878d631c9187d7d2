"""`ewtp network ...` (hubs, zones, services, connections, load, import-ssim, coverage)
and `ewtp route ...` (one query, or a CSV batch as JSON lines)."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import typer
from rich.progress import Progress

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import mode_factors, read_network_dir
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit, resolve_format
from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.routing import plan_to_json
from ewtp.domain.network.ssim import parse_ssim
from ewtp.services.network import views
from ewtp.services.network.coverage import coverage_report, export_connections
from ewtp.services.network.ports import load_network
from ewtp.services.network.routing import plan_route
from ewtp.services.network.ssim_import import import_ssim

__all__ = ["register"]

network_app = typer.Typer(
    help="The hub network: hubs, services, zones, coverage.", no_args_is_help=True
)
route_app = typer.Typer(
    help="Route search: `ewtp route --from HGH --to FR --ready ...` or `ewtp route batch`.",
    invoke_without_command=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(network_app, name="network")
    app.add_typer(route_app, name="route")


def _uow() -> SqlAlchemyNetworkUnitOfWork:
    return SqlAlchemyNetworkUnitOfWork(context.session_factory())


def parse_aware(raw: str, name: str) -> datetime:
    """An ISO 8601 time with an offset or Z; a naive time is an error naming `name`."""
    try:
        moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"not an ISO 8601 date-time: {raw!r}", field=name) from exc
    if moment.tzinfo is None:
        raise InvalidInput("needs a time zone offset such as +08:00 or Z", field=name)
    return moment


@network_app.command("hubs")
def hubs(fmt: OutputFormat | None = FormatOption) -> None:
    """List the hubs."""
    emit(views.hubs(_uow()), fmt, views.HUB_COLUMNS)


@network_app.command("zones")
def zones(fmt: OutputFormat | None = FormatOption) -> None:
    """List the delivery zones."""
    emit(views.zones(_uow()), fmt, views.ZONE_COLUMNS)


@network_app.command("services")
def services(fmt: OutputFormat | None = FormatOption) -> None:
    """List the scheduled services."""
    emit(views.services(_uow()), fmt, views.SERVICE_COLUMNS)


@network_app.command("connections")
def connections(
    start: str = typer.Option(..., "--start", help="First local departure date, YYYY-MM-DD."),
    days: int = typer.Option(7, "--days", help="Number of days."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Export the dated connections (UTC) departing in a date range."""
    try:
        first = date.fromisoformat(start)
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {start!r}", field="start") from exc
    rows = [views.connection(c) for c in export_connections(_uow(), first, days)]
    emit(rows, fmt, views.CONNECTION_COLUMNS)


@network_app.command("load")
def load(
    directory: Path = typer.Argument(..., help="Directory with hubs.csv, services.csv, zones.csv."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Replace the stored network by the one in DIR (validated first; all or nothing)."""
    now = utcnow()
    files = read_network_dir(directory, now.date())
    result = load_network(_uow(), files.name, files.hubs, files.services, files.zones, now)
    emit(views.load_result(result), fmt)


@network_app.command("import-ssim")
def import_ssim_command(
    file: Path = typer.Argument(..., help="An IATA SSIM Chapter 7 file."),
    cost_per_kg: str = typer.Option("3.00", help="EUR per kg for the imported flights."),
    capacity_kg: str = typer.Option("100000", help="Capacity per flight in kg."),
    capacity_m3: str = typer.Option("650", help="Capacity per flight in m³."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add or replace air services from SSIM flight-leg (type 3) records."""
    if not file.is_file():
        raise InvalidInput(f"no such file: {file}", field="file")
    legs = parse_ssim(file.read_text(encoding="ascii", errors="replace").splitlines())
    air = mode_factors()["air"]
    summary = import_ssim(_uow(), legs, cost_per_kg, capacity_kg, capacity_m3, utcnow(), air)
    emit(summary.to_json(), fmt)


@network_app.command("coverage")
def coverage(
    origin: str = typer.Option(..., "--origin", help="Origin hub code, e.g. HGH."),
    week: str | None = typer.Option(None, "--week", help="Monday (YYYY-MM-DD); default this week."),
    horizon_days: int = typer.Option(14, "--horizon-days"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Share of the 168 hourly ready times of a week delivered within 72 h, per zone."""
    today = utcnow().date()
    try:
        monday = date.fromisoformat(week) if week else today - timedelta(days=today.weekday())
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {week!r}", field="week") from exc
    rows = [views.coverage_row(r) for r in coverage_report(_uow(), origin, monday, horizon_days)]
    emit(
        rows,
        fmt,
        views.COVERAGE_COLUMNS,
        title=f"72-hour coverage from {origin.upper()}, week of {monday}",
    )


@route_app.callback()
def route(
    ctx: typer.Context,
    origin: str | None = typer.Option(None, "--from", help="Origin hub code."),
    destination: str | None = typer.Option(None, "--to", help="Country (zone) or hub code."),
    ready: str | None = typer.Option(None, "--ready", help="ISO 8601 with offset."),
    horizon_days: int = typer.Option(14, "--horizon-days"),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Plan one route: fastest itinerary, Pareto options (time, cost), 72-hour promise."""
    if ctx.invoked_subcommand is not None:
        return
    for name, value in (("from", origin), ("to", destination), ("ready", ready)):
        if not value:
            raise InvalidInput("is required", field=name)
    assert origin
    assert destination
    assert ready
    plan = plan_route(_uow(), origin, destination, parse_aware(ready, "ready"), horizon_days)
    body = plan_to_json(plan)
    if resolve_format(fmt) in (OutputFormat.TABLE, OutputFormat.CSV):
        emit(views.option_rows(body), fmt, views.OPTION_COLUMNS, title=views.plan_title(body))
    else:
        emit(body, OutputFormat.JSON)


@route_app.command("batch")
def batch(
    queries: Path = typer.Argument(..., help="CSV with columns origin,destination,ready_utc."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help="Only jsonl."),
    horizon_days: int = typer.Option(14, "--horizon-days"),
) -> None:
    """Answer every query of a CSV file, one JSON object per line, in input order."""
    if fmt != "jsonl":
        raise InvalidInput("only jsonl is supported", field="format")
    if not queries.is_file():
        raise InvalidInput(f"no such file: {queries}", field="queries")
    with queries.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = {"origin", "destination", "ready_utc"} - set(reader.fieldnames or [])
        if missing:
            raise InvalidInput(f"missing column(s) {', '.join(sorted(missing))}", field="header")
        rows = list(reader)
    # Answer everything before printing: a batch with a bad row prints nothing and
    # reports every bad row with its line number.
    uow = _uow()
    answers: list[str] = []
    errors: list[str] = []
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("routing", total=len(rows))
        for n, row in enumerate(rows, start=2):
            try:
                ready = parse_aware(row["ready_utc"] or "", "ready_utc")
                plan = plan_route(
                    uow, row["origin"] or "", row["destination"] or "", ready, horizon_days
                )
            except InvalidInput as exc:
                errors.append(f"line {n}: {exc}")
            else:
                answers.append(json.dumps(plan_to_json(plan)))
            progress.advance(task)
    if errors:
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InvalidInput(
            f"{len(errors)} bad row(s), nothing answered: {'; '.join(errors[:5])}{more}",
            field="queries",
        )
    sys.stdout.write("".join(a + "\n" for a in answers))

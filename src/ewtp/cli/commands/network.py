"""`ewtp network ...` (hubs, zones, services, connections, load, import-ssim, coverage,
export-gtfs) and `ewtp route ...` (one query, or a CSV batch as JSON lines)."""

from __future__ import annotations

import csv
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import typer
from rich.progress import Progress

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import mode_factors, read_network_dir
from ewtp.adapters.network.gtfs_files import write_gtfs
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit, err_console, resolve_format
from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.route_json import PlanJsonWriter
from ewtp.domain.network.routing import plan_to_json
from ewtp.domain.network.ssim import parse_ssim
from ewtp.services.network import views
from ewtp.services.network.batch import BatchInvalid, RouteQuery, plan_routes
from ewtp.services.network.coverage import (
    HOURS_PER_WEEK,
    compile_week,
    coverage_report,
    export_connections,
)
from ewtp.services.network.gtfs_export import export_gtfs
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


@network_app.command("export-gtfs")
def export_gtfs_command(
    directory: Path = typer.Argument(..., help="Directory to write the GTFS files into."),
    start: str | None = typer.Option(
        None, "--start", help="First local departure date, YYYY-MM-DD; default this Monday."
    ),
    days: int = typer.Option(28, "--days", help="Number of days."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Write the timetable as a GTFS feed (hubs as stops, services as routes and trips)."""
    today = utcnow().date()
    try:
        first = date.fromisoformat(start) if start else today - timedelta(days=today.weekday())
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {start!r}", field="start") from exc
    feed = export_gtfs(_uow(), first, days)
    paths = write_gtfs(directory, feed)
    emit(
        [{"file": p.name, "rows": feed.count(p.name)} for p in paths],
        fmt,
        ["file", "rows"],
        title=f"GTFS feed in {directory}, local dates {first} + {days} days",
    )


@network_app.command("coverage")
def coverage(
    origin: str | None = typer.Option(
        None, "--origin", help="Origin hub code, e.g. HGH; default every hub."
    ),
    week: str | None = typer.Option(None, "--week", help="Monday (YYYY-MM-DD); default this week."),
    horizon_days: int = typer.Option(14, "--horizon-days"),
    compare: bool = typer.Option(
        False, "--compare", help="Also run the per-ready-time search; check and time both."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Share of the 168 hourly ready times of a week delivered within 72 h, per zone."""
    today = utcnow().date()
    try:
        monday = date.fromisoformat(week) if week else today - timedelta(days=today.weekday())
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {week!r}", field="week") from exc
    uow = _uow()
    compile_week(uow, monday, horizon_days)  # shared by both methods; not timed
    began = time.perf_counter()
    found = coverage_report(uow, origin, monday, horizon_days)
    took = time.perf_counter() - began
    origins = len({r.origin for r in found})
    timing = (
        f"from profiles: {origins} origin(s) x {len({r.zone for r in found})} zones x "
        f"{HOURS_PER_WEEK} ready times in {took:.2f} s"
    )
    if compare:
        began = time.perf_counter()
        baseline = coverage_report(uow, origin, monday, horizon_days, method="search")
        searched = time.perf_counter() - began
        same = "same rows" if baseline == found else "ROWS DIFFER"
        timing += f"; per-ready-time search (previous method) {searched:.2f} s, {same}"
    err_console.print(timing)
    where = origin.upper() if origin else "every hub"
    emit(
        [views.coverage_row(r) for r in found],
        fmt,
        views.COVERAGE_COLUMNS,
        title=f"72-hour coverage from {where}, week of {monday}",
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
        reader = csv.reader(handle)
        header = next(reader, [])
        missing = {"origin", "destination", "ready_utc"} - set(header)
        if missing:
            raise InvalidInput(f"missing column(s) {', '.join(sorted(missing))}", field="header")
        at = [header.index(c) for c in ("origin", "destination", "ready_utc")]
        rows = [row for row in reader if row]  # blank lines are skipped, as DictReader does
    # Check everything before answering: a batch with a bad row prints nothing and
    # reports every bad row with its line number.
    parsed: list[RouteQuery] = []
    lines: list[int] = []
    errors: list[tuple[int, InvalidInput]] = []
    for n, row in enumerate(rows, start=2):
        try:
            cells = [row[i] if i < len(row) else "" for i in at]
            parsed.append(RouteQuery(cells[0], cells[1], parse_aware(cells[2], "ready_utc")))
            lines.append(n)
        except InvalidInput as exc:
            errors.append((n, exc))
    with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
        task = progress.add_task("routing", total=len(parsed))
        try:
            plans = plan_routes(_uow(), parsed, horizon_days, lambda k: progress.advance(task, k))
        except BatchInvalid as exc:
            errors += [(lines[i], e) for i, e in exc.problems]
    if errors:
        errors.sort(key=lambda e: e[0])
        listed = "; ".join(f"line {n}: {e}" for n, e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InvalidInput(
            f"{len(errors)} bad row(s), nothing answered: {listed}{more}", field="queries"
        )
    writer = PlanJsonWriter()
    sys.stdout.write("".join(writer.dumps(plan) + "\n" for plan in plans))

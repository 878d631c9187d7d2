"""Tracking commands: bulk scan ingestion from CSV/Parquet, and the webhook worker."""

from __future__ import annotations

import csv
import signal
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import polars as pl
import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.adapters.polars.tracking_scans.batches import plan_batches
from ewtp.adapters.polars.tracking_scans.validate import validate_scan_frame
from ewtp.adapters.webhooks.worker import run_blocking
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit, err_console
from ewtp.config import get_settings
from ewtp.domain.csv_cells import safe_row
from ewtp.domain.errors import InvalidInput
from ewtp.services.tracking.ingest_events import IngestResult, ingest_rows
from ewtp.services.tracking.live_eta import RouteEta
from ewtp.services.tracking.scan_checks import ScanChecks
from ewtp.services.webhooks.prune import prune_webhook_history

__all__ = ["register"]

tracking_app = typer.Typer(help="Scan events and tracking.", no_args_is_help=True)
REQUIRED = ("tracking_number", "code", "occurred_at", "hub")
OPTIONAL = ("description", "source_event_id")
SHOWN_ERRORS = 20


webhooks_app = typer.Typer(help="Webhook history.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(tracking_app, name="tracking")
    app.add_typer(webhooks_app, name="webhooks")
    app.command("worker")(worker)


def _read(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pl.read_csv(path, infer_schema=False)
    elif suffix in (".parquet", ".pq"):
        frame = pl.read_parquet(path)
    else:
        raise InvalidInput("must be a .csv or .parquet file", field="file")
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InvalidInput(f"missing column(s) {', '.join(missing)}", field="file")
    columns = []
    for name in (*REQUIRED, *(c for c in OPTIONAL if c in frame.columns)):
        column = pl.col(name)
        dtype = frame.schema[name]
        if isinstance(dtype, pl.Datetime) and dtype.time_zone:
            column = column.dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S%.f+00:00")
        elif isinstance(dtype, pl.Datetime):
            column = column.dt.strftime("%Y-%m-%dT%H:%M:%S%.f")  # naive: rejected per row
        columns.append(column.cast(pl.Utf8).alias(name))
    return frame.select(columns)


def _ingest_part(
    factory: Any, frame: pl.DataFrame, batches: Sequence[Sequence[int]], advance: Any
) -> IngestResult:
    """One worker's batches in order, one transaction each, with this thread's ETA cache."""
    eta = RouteEta(lambda: SqlAlchemyNetworkUnitOfWork(factory))
    minutes = get_settings().scan_max_future_minutes
    checks = ScanChecks(eta.known_hubs(), timedelta(minutes=minutes))
    done = IngestResult()
    for positions in batches:
        uow = SqlAlchemyTrackingUnitOfWork(factory)
        batch = ingest_rows(
            uow, frame[positions], validate_scan_frame, utcnow(), eta=eta, checks=checks
        )
        # Rejections count from 0 in the batch; report them by row of the file.
        batch.rejections = [replace(r, index=positions[r.index]) for r in batch.rejections]
        batch.flags = [replace(f, index=positions[f.index]) for f in batch.flags]
        done.add(batch)
        advance(len(positions))
    return done


@tracking_app.command("ingest")
def ingest(
    file: Path = typer.Argument(
        ...,
        help="CSV or Parquet with tracking_number, code, occurred_at, hub[, description, source_event_id].",
    ),
    batch_size: int = typer.Option(20_000, min=1, max=100_000, help="Events per transaction."),
    workers: int = typer.Option(
        2,
        min=1,
        max=16,
        help="Batches in flight at once, each for its own share of the parcels (PostgreSQL;"
        " SQLite uses 1).",
    ),
    errors: Path | None = typer.Option(None, help="Write every rejected row to this CSV."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Bulk-ingest scan events (COPY on PostgreSQL, batched inserts on SQLite)."""
    frame = _read(file)
    factory = context.session_factory()
    if factory.kw["bind"].dialect.name != "postgresql":
        workers = 1  # SQLite has one writer at a time
    parts = plan_batches(frame, workers, batch_size)
    total = IngestResult()
    started = time.perf_counter()
    with Progress(
        TextColumn("ingesting"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
        TimeRemainingColumn(), console=err_console, transient=True,
        disable=not err_console.is_terminal,
    ) as progress:  # fmt: skip
        task = progress.add_task("ingest", total=frame.height)

        def advance(rows: int) -> None:
            progress.advance(task, rows)

        with ThreadPoolExecutor(max_workers=len(parts)) as pool:
            futures = [
                pool.submit(_ingest_part, factory, frame, batches, advance)
                for batches in parts
                if batches
            ]
            for future in as_completed(futures):
                total.add(future.result())
    seconds = time.perf_counter() - started
    total.rejected = len(total.rejections)
    total.rejections.sort(key=lambda r: r.index)
    line = 2 if file.suffix.lower() == ".csv" else 1  # file line of row 0 (after the header)
    for r in total.rejections[:SHOWN_ERRORS]:
        err_console.print(
            f"row {r.index + line}: {r.field}: {r.reason}", markup=False, highlight=False
        )
    if total.rejected > SHOWN_ERRORS:
        err_console.print(f"... and {total.rejected - SHOWN_ERRORS} more rejected rows")
    for f in sorted(total.flags, key=lambda f: f.index)[:SHOWN_ERRORS]:
        err_console.print(
            f"row {f.index + line}: warning: {f.code}: {f.message}", markup=False, highlight=False
        )
    if errors is not None:
        write_rejections(
            errors,
            (
                (r.index + line, r.tracking_number, r.field, r.code, r.reason)
                for r in total.rejections
            ),
        )
    emit(
        {
            "file": str(file),
            "rows": frame.height,
            "accepted": total.accepted,
            "duplicates": total.duplicates,
            "rejected": total.rejected,
            "anomalies": total.anomalies,
            "flagged": len(total.flags),
            "seconds": round(seconds, 3),
            "events_per_second": round(frame.height / seconds) if seconds else None,
        },
        fmt,
    )
    if total.rejected:
        raise typer.Exit(3)  # finished, but some rows were rejected (see --help of `ewtp`)


def worker() -> None:
    """Deliver webhooks until stopped (SIGTERM/Ctrl-C); run several for scale on PostgreSQL."""
    settings = get_settings()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    err_console.print("webhook worker started", highlight=False)
    run_blocking(context.session_factory(), settings, stop)
    print("webhook worker stopped", file=sys.stderr)


@webhooks_app.command("prune")
def prune(
    keep_days: int | None = typer.Option(
        None, min=1, help="Keep this many days (default: EWTP_WEBHOOK_RETENTION_DAYS)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Delete ended deliveries and dispatched events older than the retention (the worker
    also does this hourly); pending deliveries are kept whatever their age."""
    days = keep_days or get_settings().webhook_retention_days
    factory = context.session_factory()
    now = utcnow()
    pruned = prune_webhook_history(
        lambda: SqlAlchemyTrackingUnitOfWork(factory), now, timedelta(days=days)
    )
    emit(
        {
            "deliveries": pruned.deliveries,
            "events": pruned.events,
            "before": (now - timedelta(days=days)).isoformat(),
        },
        fmt,
    )


def write_rejections(path: Path, rows: Iterable[tuple[int, str, str, str, str]]) -> None:
    """The ingest error file: one (row, tracking_number, field, code, reason) line per
    rejected row, each text cell escaped against formula injection (`domain.csv_cells`)."""
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["row", "tracking_number", "field", "code", "reason"])
        writer.writerows(safe_row(row) for row in rows)

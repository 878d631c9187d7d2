"""Customs commands: `ewtp landed-cost`, `ewtp customs ...`, `ewtp validate`."""

from __future__ import annotations

import getpass
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.rule_files import tariff_lines_from_csv
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit, err_console
from ewtp.domain.customs import parse_consignment
from ewtp.domain.customs.identifiers import KINDS, validate_identifier
from ewtp.domain.customs.parse import parse_amount
from ewtp.domain.customs.rules import Fee
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.admin import add_fee, end_fee, fee_audit, list_fees
from ewtp.services.customs.admin import load_tariff_lines as store_tariff_lines
from ewtp.services.customs.assess_manifest import assess_manifest
from ewtp.services.customs.declarations import build_declarations, parse_parties
from ewtp.services.customs.landed_cost import assess_landed_cost
from ewtp.services.customs.ports import FeeActor

__all__ = ["register", "uow"]

customs_app = typer.Typer(
    help="Customs: bulk manifests, declarations, tariff and fees.", no_args_is_help=True
)
tariff_app = typer.Typer(help="The EU tariff table (ad valorem MFN rates).", no_args_is_help=True)
fees_app = typer.Typer(
    help="National handling fees (operator-editable dated rows).", no_args_is_help=True
)
customs_app.add_typer(tariff_app, name="tariff")
customs_app.add_typer(fees_app, name="fees")
SUMMARY = ("input", "output", "rows", "consignments", "rejected", "invalid", "seconds")


def register(app: typer.Typer) -> None:
    app.command("landed-cost")(landed_cost)
    app.command("validate")(validate)
    app.add_typer(customs_app, name="customs")


def uow() -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(context.session_factory())


def _read_json(source: str) -> Any:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"cannot read {source}: {exc.strerror}", field="file") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"not valid JSON: {exc}", field="file") from None


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not isinstance(v, list)}


def landed_cost(
    file: str = typer.Argument(..., help="Consignment JSON file, or - for stdin."),
    record_usage: bool = typer.Option(
        False,
        "--record-cbec-usage",
        help="Count an allowed CBEC order toward the buyer's annual limit.",
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Assess one consignment: duty, VAT, consumption tax, fees and the landed cost (JSON)."""
    consignment = parse_consignment(_read_json(file))
    result = assess_landed_cost(uow(), consignment, record_cbec_usage=record_usage).to_json()
    emit(result if fmt in (None, OutputFormat.JSON) else _flat(result), fmt or OutputFormat.JSON)


def validate(
    kind: str = typer.Argument(..., help=f"One of: {', '.join(KINDS)}."),
    value: str = typer.Argument(..., help="The identifier to check."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Check an EU VAT number, IOSS number, EORI or HS code; exit 1 when invalid."""
    if kind not in KINDS:
        raise InvalidInput(f"must be one of {', '.join(KINDS)}", field="kind")
    hs6: frozenset[str] = frozenset()
    if kind == "hs":
        from ewtp.adapters.customs.hs_nomenclature import hs2022

        hs6 = hs2022().subheadings
    result = validate_identifier(kind, value, hs6)
    emit(
        {"kind": kind, "value": value, "valid": result.valid,
         "normalized": result.normalized, "reason": result.reason},
        fmt,
    )  # fmt: skip
    if not result.valid:
        raise typer.Exit(1)


@customs_app.command("assess")
def assess_file(
    input_path: Path = typer.Argument(
        ..., metavar="INPUT", help="Manifest .csv or .parquet, one row per item line."
    ),
    out: Path = typer.Option(
        ..., "--out", "-o", help="Result .csv or .parquet, one row per consignment."
    ),
    dask: str | None = typer.Option(
        None, "--dask", envvar="EWTP_DASK_ADDRESS", help="Dask scheduler address (tcp://host:8786)."
    ),
    batch_rows: int = typer.Option(500_000, "--batch-rows", min=1, help="Item lines per batch."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Assess a whole manifest with the vectorized engine (streaming, or on Dask)."""
    from ewtp.adapters.polars.customs_manifest.frame import BulkContext
    from ewtp.adapters.polars.customs_manifest.runner import (
        DaskManifestEngine,
        PolarsManifestEngine,
    )

    engine = DaskManifestEngine(dask, batch_rows) if dask else PolarsManifestEngine(batch_rows)
    unit = "partitions" if dask else "rows"
    columns = (
        TextColumn("assessing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(unit),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("assess", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        summary = assess_manifest(
            uow(), engine, input_path, out, context_factory=BulkContext, progress=progress
        )
    emit(summary.to_json(), fmt, SUMMARY)
    if summary.rejected or summary.invalid:
        raise typer.Exit(3)  # finished, but some consignments were rejected or invalid


@customs_app.command("declare")
def declare(
    file: str = typer.Argument(..., help='JSON {"consignment": {...}, "parties": {...}}, or -.'),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Build the H7 (or H1) record and the ICS2 PLACI 7+1 record, validated field by field."""
    data = _read_json(file)
    if not isinstance(data, dict):
        raise InvalidInput("must be a JSON object", field="body")
    consignment = parse_consignment(data.get("consignment") or {})
    parties = parse_parties(data.get("parties"))
    assessment = assess_landed_cost(uow(), consignment)
    emit(build_declarations(consignment, parties, assessment).to_json(), fmt or OutputFormat.JSON)


@tariff_app.command("load")
def tariff_load(
    file: Path = typer.Argument(
        ...,
        help="CSV with columns hs6 (or goods_code), rate, description, valid_from, valid_to, source.",
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Load ad valorem duty rates from a TARIC CSV extract."""
    import csv

    try:
        rows = list(csv.DictReader(file.read_text(encoding="utf-8").splitlines()))
        lines = tariff_lines_from_csv(rows)
    except (OSError, KeyError, ValueError, ArithmeticError) as exc:
        raise InvalidInput(f"{file.name}: {exc}", field="file") from None
    emit({"loaded": store_tariff_lines(uow(), lines)}, fmt)


@fees_app.command("list")
def fees_list(fmt: OutputFormat | None = FormatOption) -> None:
    """The national fee rows: shipped (no id) and operator-added."""
    rows = [
        {"id": fee_id, "country": f.country, "amount": str(f.amount), "currency": f.currency,
         "per": f.per, "lvc_only": f.lvc_only, "valid_from": f.valid_from.isoformat(),
         "valid_to": f.valid_to.isoformat() if f.valid_to else None, "source": f.source}
        for fee_id, f in list_fees(uow())
    ]  # fmt: skip
    emit(
        rows,
        fmt,
        [
            "id",
            "country",
            "amount",
            "currency",
            "per",
            "lvc_only",
            "valid_from",
            "valid_to",
            "source",
        ],
    )


@fees_app.command("add")
def fees_add(
    country: str = typer.Option(..., help="EU member state (ISO alpha-2)."),
    amount: str = typer.Option(..., help="Amount, e.g. 2.00."),
    currency: str = typer.Option("EUR"),
    per: str = typer.Option("parcel", help="parcel, line or hs6."),
    valid_from: str = typer.Option(..., help="First day (YYYY-MM-DD)."),
    valid_to: str | None = typer.Option(None, help="Last day, or open-ended."),
    lvc_only: bool = typer.Option(True, help="Only consignments of EUR 150 or less."),
    source: str = typer.Option(..., help="Where the fee comes from."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Add a dated national handling fee charged to the buyer."""
    value = parse_amount(amount, "amount", positive=True)
    assert value is not None
    fee = Fee(
        country.upper(), value, currency.upper(), per, lvc_only, _day(valid_from, "valid_from"),
        _day(valid_to, "valid_to") if valid_to else None, source,
    )  # fmt: skip
    emit({"id": add_fee(uow(), fee, actor=_cli_actor(), now=utcnow())}, fmt)


@fees_app.command("end")
def fees_end(
    fee_id: int, last_day: str = typer.Argument(..., help="Last day in force (YYYY-MM-DD)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:  # fmt: skip
    """End an operator fee row on a given day."""
    end_fee(uow(), fee_id, _day(last_day, "last_day"), actor=_cli_actor(), now=utcnow())
    emit({"id": fee_id, "valid_to": last_day}, fmt)


@fees_app.command("audit")
def fees_audit(fmt: OutputFormat | None = FormatOption) -> None:
    """Who added or ended each operator fee row, and when (newest first)."""
    rows = [
        {"at": e.at.isoformat(), "actor": e.actor, "account_id": e.account_id,
         "action": e.action, "fee_id": e.fee_id, "detail": e.detail}
        for e in fee_audit(uow())
    ]  # fmt: skip
    emit(rows, fmt, ["at", "actor", "account_id", "action", "fee_id", "detail"])


def _cli_actor() -> FeeActor:
    """The CLI acts for no account: the audit names the login that ran it."""
    return FeeActor(account_id="cli", who=f"cli:{getpass.getuser()}")


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


@customs_app.command("rules")
def rules(
    on: str = typer.Option(..., "--on", help="The day (YYYY-MM-DD)."),
    country: str | None = typer.Option(None, "--country", help="Destination (EU member or CN)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Every customs rule in force on a day, with its source (unconfirmed rows say so)."""
    from ewtp.adapters.customs.fx import national_currencies
    from ewtp.services.customs.rules_in_force import rules_in_force

    unit = uow()
    with unit:
        book = unit.customs_rules.rule_book()
    found = rules_in_force(
        book, _day(on, "on"), country.upper() if country else None, national_currencies()
    )
    emit([r.to_json() for r in found], fmt)

"""Shipment commands: `ewtp shipments import FILE --merchant ID` (the bulk CSV)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.merchant.customs import LandedCostCustoms
from ewtp.adapters.merchant.pricing_data import load_rate_card
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit, err_console
from ewtp.domain.accounts import Role
from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.services.merchant.import_shipments import BulkRejected, import_shipments

__all__ = ["register"]

shipments_app = typer.Typer(help="Merchant shipments.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(shipments_app, name="shipments")


@shipments_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="CSV file with the bulk template's columns."),
    merchant: str = typer.Option(..., "--merchant", help="The merchant account id."),
    atomic: bool = typer.Option(False, help="Create all rows or none."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Create draft shipments from a CSV file; prints each bad row as row, field, message."""
    if not file.is_file():
        raise InvalidInput(f"no such file: {file}", field="FILE")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("must be UTF-8 text", field="FILE") from None
    uow = SqlAlchemyMerchantUnitOfWork(context.session_factory())
    with uow:
        account = uow.accounts.get_account(merchant)
    if account is None or account.role is not Role.MERCHANT:
        raise NotFound("no merchant with this id", field="--merchant")
    with Progress(console=err_console, transient=True) as progress:
        task = progress.add_task("importing", total=None)

        def advance(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        try:
            result = import_shipments(
                uow, merchant, text, utcnow(), atomic=atomic, progress=advance,
                card=load_rate_card(), customs=LandedCostCustoms(context.session_factory()),
            )  # fmt: skip
        except BulkRejected as exc:
            for error in exc.errors:
                err_console.print(f"row {error.row}: {error.field}: {error.message}", markup=False)
            raise
    rows = [
        {"row": e.row, "field": e.field, "message": e.message, "shipment_id": None}
        for e in result.errors
    ]
    summary = [
        {"row": None, "field": None, "message": "created", "shipment_id": s.id}
        for s in result.shipments
    ]
    if fmt is OutputFormat.JSON:
        emit(
            {
                "created": len(result.shipments),
                "shipment_ids": [s.id for s in result.shipments],
                "errors": [{k: r[k] for k in ("row", "field", "message")} for r in rows],
                "warnings": [
                    {"row": w.row, "code": w.code, "field": w.field, "message": w.message}
                    for w in result.warnings
                ],
            },
            fmt,
        )
    else:
        for w in result.warnings:
            err_console.print(
                f"row {w.row}: warning: {w.code}: {w.message}", markup=False, highlight=False
            )
        emit(rows or summary[:20], fmt, ["row", "field", "message", "shipment_id"])
        err_console.print(f"created {len(result.shipments)} shipment(s), {len(rows)} bad row(s)")
    if rows:
        raise typer.Exit(3)  # finished, but some rows were rejected

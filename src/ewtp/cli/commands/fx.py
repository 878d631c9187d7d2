"""Exchange-rate commands: `ewtp fx fetch`, `ewtp fx load`, `ewtp fx rate`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer

from ewtp.adapters.customs.fx import parse_ecb_bytes, parse_rate_table, read_ecb_rows
from ewtp.adapters.customs.fx_fetch import download
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.cli import context
from ewtp.cli.output import FormatOption, OutputFormat, emit
from ewtp.config import get_settings
from ewtp.domain.customs.eu import display_rate
from ewtp.domain.customs.fx_rules import customs_rates
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.admin import load_fx_rates
from ewtp.services.customs.fx_rates import fetch_fx_rates, load_rate_table

__all__ = ["register"]

fx_app = typer.Typer(
    help="Exchange rates for customs (ECB, CN customs, national).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(fx_app, name="fx")


def _uow() -> SqlAlchemyCustomsUnitOfWork:
    return SqlAlchemyCustomsUnitOfWork(context.session_factory())


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{value!r} is not a date (YYYY-MM-DD)", field=field) from None


@fx_app.command("fetch")
def fx_fetch(
    url: str | None = typer.Option(
        None, "--url", help="ECB daily or history file (default: EWTP_FX_SOURCE_URL)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Download the ECB rates file and store its rates (a bad file changes nothing)."""
    source = url or get_settings().fx_source_url
    result = fetch_fx_rates(_uow(), source, download, parse_ecb_bytes)
    emit(result.to_json(), fmt)


@fx_app.command("load")
def fx_load(
    file: Path = typer.Argument(
        ..., help="ECB eurofxref-hist.csv/.zip or eurofxref.csv; with --table, date,currency,rate[,per]."
    ),
    table: str | None = typer.Option(
        None, "--table",
        help="cn-customs (GACC monthly rates, CNY per unit) or national-XX (e.g. national-RO).",
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:  # fmt: skip
    """Load ECB reference rates, or a CN customs or national rate table."""
    if table is None:
        rows = read_ecb_rows(file)
        count = load_fx_rates(_uow(), rows, f"ECB file {file.name}")
    else:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {file}: {exc.strerror}", field="file") from None
        rows = parse_rate_table(data, str(file))
        count = load_rate_table(_uow(), table, rows, f"{table} file {file.name}")
    emit({"loaded": count, "table": table or "ecb",
          "last_date": max(r[0] for r in rows).isoformat()}, fmt)  # fmt: skip


@fx_app.command("rate")
def fx_rate(
    currency: str,
    on: str = typer.Argument(..., help="Consignment date (YYYY-MM-DD)."),
    destination: str = typer.Option(
        "BE", "--destination", "--to", help="Destination country (EU member state or CN)."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """The rate customs applies to a consignment in CURRENCY dated ON, with its rule."""
    unit = _uow()
    code, dest = currency.upper(), destination.upper()
    with unit:
        rates = customs_rates(dest, _day(on, "date"), {code}, unit.fx.sources(),
                              consignment_currency=code)  # fmt: skip
    src = rates[code]
    target = rates["CNY" if dest == "CN" else "EUR"]
    emit({"currency": code, "into": target.currency, "rate": str(display_rate(src, target)),
          "rule": target.rule, "published": src.on.isoformat(),
          "rule_day": src.reference.isoformat() if src.reference else None,
          "consignment_date": on, "destination": dest}, fmt)  # fmt: skip

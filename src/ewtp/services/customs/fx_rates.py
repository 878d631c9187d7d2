"""Use cases: keep the customs exchange rates current (fetch the ECB file, load tables).

A download is parsed and checked whole before anything is stored, in one transaction: a
corrupt or truncated file changes nothing. The rate sources are rebuilt from the
database on the next assessment (see `adapters/db/customs/fx_sources.py`), so a newer
file makes a stale quote succeed without a restart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ewtp.domain.customs.fx_rules import CN_TABLE_NAME
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.ports import CustomsUnitOfWork

__all__ = ["FetchResult", "fetch_fx_rates", "load_rate_table", "rate_table_name"]

Rows = list[tuple[date, str, Decimal]]


@dataclass(frozen=True)
class FetchResult:
    url: str
    rates: int
    first_date: date
    last_date: date

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url, "rates": self.rates, "first_date": self.first_date.isoformat(),
            "last_date": self.last_date.isoformat(),
        }  # fmt: skip


def fetch_fx_rates(
    uow: CustomsUnitOfWork,
    url: str,
    download: Callable[[str], bytes],
    parse: Callable[[bytes, str], Rows],
) -> FetchResult:
    """Download the ECB file at `url`, check it whole, then store its rates."""
    rows = parse(download(url), url)
    with uow:
        count = uow.fx.add_rates(rows, f"ECB file {url}")
        uow.commit()
    dates = [r[0] for r in rows]
    return FetchResult(url, count, min(dates), max(dates))


def rate_table_name(table: str, eu_members: frozenset[str]) -> str:
    """`cn-customs` or `national-XX` (XX an EU member state), or a field error."""
    if table == CN_TABLE_NAME:
        return table
    country = table.removeprefix("national-").upper()
    if table.startswith("national-") and country in eu_members:
        return f"national-{country}"
    raise InvalidInput(
        f"unknown rate table {table!r}: use cn-customs or national-XX (an EU member state)",
        field="table",
    )


def load_rate_table(uow: CustomsUnitOfWork, table: str, rows: Rows, source: str) -> int:
    """Store a CN customs or national rate table (checked whole by the caller's parser)."""
    with uow:
        name = rate_table_name(table, uow.customs_rules.rule_book().eu_members)
        count = uow.fx.add_table_rates(name, rows, source)
        uow.commit()
    return count

"""The rate sources of the customs FX rules, read from the database and cached by content.

ECB rates are the bundled history under the rates loaded or fetched into
`customs_fx_rates`; CN customs and national tables come from `customs_fx_table_rates`.
Building them is costly (a full history is ~200,000 rates), so they are kept per database
and rebuilt only when a cheap fingerprint (row count and newest date of both tables)
changes: a newer file loaded by `ewtp fx fetch` takes effect on the next quote, in every
server process, without a restart.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ewtp.adapters.customs.fx import RateTable, bundled_rates, max_age_days, national_currencies
from ewtp.adapters.db.tables.customs import FxRateRow, FxTableRateRow
from ewtp.domain.customs.fx_rules import CN_TABLE_NAME, FxSources

__all__ = ["fx_sources", "newest_ecb_date"]

_CACHE: OrderedDict[tuple[Any, ...], FxSources] = OrderedDict()
_LOCK = threading.Lock()
_KEEP = 4


def _fingerprint(session: Session) -> tuple[Any, ...]:
    ecb = session.execute(select(func.count(), func.max(FxRateRow.rate_date))).one()
    tables = session.execute(select(func.count(), func.max(FxTableRateRow.rate_date))).one()
    bind = session.get_bind()
    return (str(bind.engine.url), tuple(ecb), tuple(tables), max_age_days())


def fx_sources(session: Session) -> FxSources:
    """Every rate source, as of the database's current content."""
    key = _fingerprint(session)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None:
            _CACHE.move_to_end(key)
            return cached
    max_age = max_age_days()
    loaded = [
        (r.rate_date, r.currency, Decimal(r.rate).normalize())
        for r in session.scalars(select(FxRateRow))
    ]
    ecb = (bundled_rates().merged(loaded) if loaded else bundled_rates()).with_max_age(max_age)
    tables: dict[str, list[tuple[date, str, Decimal]]] = {}
    for row in session.scalars(select(FxTableRateRow)):
        tables.setdefault(row.table_name, []).append(
            (row.rate_date, row.currency, Decimal(row.rate).normalize())
        )
    cn = tables.pop(CN_TABLE_NAME, None)
    national = {
        name.removeprefix("national-"): RateTable(rows, max_age)
        for name, rows in tables.items()
        if name.startswith("national-")
    }
    sources = FxSources(
        ecb=ecb,
        max_age_days=max_age,
        cn_customs=RateTable(cn, max_age) if cn else None,
        national=national,
        national_currency=national_currencies(),
    )
    with _LOCK:
        _CACHE[key] = sources
        while len(_CACHE) > _KEEP:
            _CACHE.popitem(last=False)
    return sources


def newest_ecb_date(session: Session, currency: str = "USD") -> date | None:
    """The newest ECB fixing held for `currency`, bundled or loaded (USD is fixed daily)."""
    loaded: date | None = session.scalar(
        select(func.max(FxRateRow.rate_date)).where(FxRateRow.currency == currency)
    )
    bundled = bundled_rates().newest(currency)
    dates = [d for d in (loaded, bundled) if d is not None]
    return max(dates) if dates else None

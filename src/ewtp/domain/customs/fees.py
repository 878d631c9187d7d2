"""National fee rows must not overlap: one row per country, scope and day.

Fees of every row in force add up (`eu.py`), so two rows of one country, basis (`per`)
and LVC scope that share a day charge the buyer twice. A new row is refused when its
period (bounds inclusive, an open end runs forever) meets such a row's period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ewtp.domain.customs.rules import Fee

__all__ = ["describe_fee", "first_overlap", "periods_overlap"]


def periods_overlap(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    """Whether two inclusive periods share at least one day (None: no end)."""
    return (b_to is None or a_from <= b_to) and (a_to is None or b_from <= a_to)


def same_scope(a: Fee, b: Fee) -> bool:
    return (a.country, a.per, a.lvc_only) == (b.country, b.per, b.lvc_only)


def first_overlap(
    fee: Fee, rows: Iterable[tuple[int | None, Fee]]
) -> tuple[int | None, Fee] | None:
    """The first row (id, or None for a shipped row) that `fee` would overlap."""
    for fee_id, row in rows:
        if same_scope(fee, row) and periods_overlap(
            fee.valid_from, fee.valid_to, row.valid_from, row.valid_to
        ):
            return fee_id, row
    return None


def describe_fee(fee_id: int | None, fee: Fee) -> str:
    """E.g. `operator fee 3 (FR, EUR 2 per line, LVC only, 2026-03-01 to open)`."""
    who = "the shipped fee" if fee_id is None else f"operator fee {fee_id}"
    scope = "LVC only" if fee.lvc_only else "all parcels"
    until = fee.valid_to.isoformat() if fee.valid_to else "open"
    return (
        f"{who} ({fee.country}, {fee.currency} {fee.amount} per {fee.per}, {scope}, "
        f"{fee.valid_from.isoformat()} to {until})"
    )

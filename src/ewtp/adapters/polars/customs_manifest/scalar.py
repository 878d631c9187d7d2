"""The scalar path over manifest rows: the bulk engine's fallback and its test oracle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ewtp.domain.customs import assess, check_consignment
from ewtp.domain.customs.engine import CHINA, rates_for
from ewtp.domain.customs.fx_rules import FxSources
from ewtp.domain.customs.manifest import consignment_from_rows, error_record, result_record
from ewtp.domain.customs.rules import RuleBook
from ewtp.domain.errors import DomainError

__all__ = ["assess_rows"]


def assess_rows(
    consignment_id: str,
    rows: Sequence[Mapping[str, Any]],
    book: RuleBook,
    sources: FxSources,
    usage: Mapping[tuple[str, int], Decimal] | None = None,
) -> dict[str, Any]:
    """One consignment's result record, computed one consignment at a time.

    `usage` is the stored CBEC annual usage by (buyer_id, year), read as
    `services.landed_cost.assess_landed_cost` reads it for a quote (never recorded here).
    """
    try:
        consignment = consignment_from_rows(rows)
        check_consignment(consignment, book)
        rates = rates_for(consignment, book, sources)
        stored = Decimal(0)
        if usage and consignment.destination_country == CHINA and consignment.buyer_id:
            stored = usage.get((consignment.buyer_id, consignment.date.year), Decimal(0))
        return result_record(
            consignment_id, assess(consignment, book, rates, stored_annual_used=stored)
        )
    except DomainError as exc:
        return error_record(consignment_id, exc)

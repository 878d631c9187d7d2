"""The scalar path over manifest rows: the bulk engine's fallback and its test oracle."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ewtp.adapters.fx import RateTable
from ewtp.domain.customs import assess, check_consignment, needed_currencies
from ewtp.domain.customs.manifest import consignment_from_rows, error_record, result_record
from ewtp.domain.customs.rules import RuleBook
from ewtp.domain.errors import DomainError

__all__ = ["assess_rows"]


def assess_rows(
    consignment_id: str, rows: Sequence[Mapping[str, Any]], book: RuleBook, table: RateTable
) -> dict[str, Any]:
    """One consignment's result record, computed one consignment at a time."""
    try:
        consignment = consignment_from_rows(rows)
        check_consignment(consignment, book)
        rates = {c: table.rate(c, consignment.date) for c in needed_currencies(consignment, book)}
        return result_record(consignment_id, assess(consignment, book, rates))
    except DomainError as exc:
        return error_record(consignment_id, exc)

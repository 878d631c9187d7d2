"""Use cases for the operator's customs tables: ECB rates, TARIC lines, national fees."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

from ewtp.domain.customs.fees import describe_fee, first_overlap
from ewtp.domain.customs.rules import Fee, TariffLine
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.ports import CustomsUnitOfWork, FeeActor, FeeAuditEntry

__all__ = [
    "FEE_BASES",
    "add_fee",
    "end_fee",
    "fee_audit",
    "list_fees",
    "load_fx_rates",
    "load_tariff_lines",
]

FEE_BASES = ("parcel", "line", "hs6")


def load_fx_rates(
    uow: CustomsUnitOfWork, rows: list[tuple[date, str, Decimal]], source: str
) -> int:
    """Store ECB reference rates (newer than, or correcting, the bundled copy)."""
    if not rows:
        raise InvalidInput("the file holds no rates", field="file")
    with uow:
        count = uow.fx.add_rates(rows, source)
        uow.commit()
    return count


def load_tariff_lines(uow: CustomsUnitOfWork, lines: list[TariffLine]) -> int:
    """Store ad valorem duty rates from a TARIC extract; they win over the shipped table."""
    if not lines:
        raise InvalidInput("the file holds no tariff lines", field="file")
    with uow:
        count = uow.customs_rules.add_tariff_lines(lines)
        uow.commit()
    return count


def add_fee(uow: CustomsUnitOfWork, fee: Fee, *, actor: FeeActor, now: datetime) -> int:
    """Add a dated national handling fee row charged to the buyer.

    A row that overlaps another of the same country, basis and scope (shipped or added
    before) is refused, naming it: both would be charged. The audit entry (who, when,
    the row) is written in the same transaction, so no row exists without one.
    """
    if fee.per not in FEE_BASES:
        raise InvalidInput(f"must be one of {', '.join(FEE_BASES)}", field="per")
    if fee.amount <= 0:
        raise InvalidInput("must be greater than zero", field="amount")
    if fee.valid_to is not None and fee.valid_to < fee.valid_from:
        raise InvalidInput("must not be before valid_from", field="valid_to")
    if not fee.source.strip():
        raise InvalidInput("must name where the fee comes from", field="source")
    with uow:
        book = uow.customs_rules.rule_book()
        if fee.country not in book.eu_members:
            raise InvalidInput(f"{fee.country} is not an EU member state", field="country")
        operator = uow.customs_rules.list_operator_fees()
        mine = {f for _, f in operator}
        rows = [(None, f) for f in book.fees if f not in mine] + list(operator)
        overlap = first_overlap(fee, rows)
        if overlap is not None:
            fix = (
                "end it first (valid_to) or start this row after it"
                if overlap[0]
                else ("shipped rows change with a release; date this row after it")
            )
            raise InvalidInput(
                f"overlaps {describe_fee(*overlap)}: fees of one country, basis and scope "
                f"would add up on the same days; {fix}",
                field="valid_from",
            )
        fee_id = uow.customs_rules.add_fee(fee)
        entry = describe_fee(fee_id, fee)
        uow.fee_audit.add(FeeAuditEntry(now, actor.account_id, actor.who, "add", fee_id, entry))
        uow.commit()
    return fee_id


def end_fee(
    uow: CustomsUnitOfWork, fee_id: int, last_day: date, *, actor: FeeActor, now: datetime
) -> None:
    """Close an operator fee row on `last_day` (rows are never deleted: history stays),
    with its audit entry in the same transaction."""
    with uow:
        operator = uow.customs_rules.list_operator_fees()
        current = dict(operator).get(fee_id)
        if current is not None and (current.valid_to is None or last_day > current.valid_to):
            # a later end could reach into a row that starts after the current end
            book = uow.customs_rules.rule_book()
            mine = {f for _, f in operator}
            others: list[tuple[int | None, Fee]] = [(None, f) for f in book.fees if f not in mine]
            others += [(i, f) for i, f in operator if i != fee_id]
            overlap = first_overlap(replace(current, valid_to=last_day), others)
            if overlap is not None:
                raise InvalidInput(
                    f"would overlap {describe_fee(*overlap)}: end it no later than the day "
                    "before that row starts",
                    field="valid_to",
                )
        uow.customs_rules.end_fee(fee_id, last_day)
        ended = dict(uow.customs_rules.list_operator_fees()).get(fee_id)
        detail = describe_fee(fee_id, ended) if ended else f"operator fee {fee_id}"
        detail += f"; last day {last_day.isoformat()}"
        uow.fee_audit.add(FeeAuditEntry(now, actor.account_id, actor.who, "end", fee_id, detail))
        uow.commit()


def fee_audit(uow: CustomsUnitOfWork, limit: int = 200) -> list[FeeAuditEntry]:
    """The newest changes to operator fee rows first."""
    with uow:
        return uow.fee_audit.recent(limit)


def list_fees(uow: CustomsUnitOfWork) -> list[tuple[int | None, Fee]]:
    """Shipped fee rows (id None) and the operator's rows."""
    with uow:
        shipped = [(None, f) for f in uow.customs_rules.rule_book().fees]
        operator = uow.customs_rules.list_operator_fees()
    operator_fees = {f for _, f in operator}
    return [row for row in shipped if row[1] not in operator_fees] + list(operator)

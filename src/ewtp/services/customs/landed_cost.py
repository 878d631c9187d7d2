"""Use case: the landed cost of one consignment (a quote, or a booking that counts CBEC usage).

Rounding happens in the domain (`domain/customs/money.cents`), once per tax per consignment.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal

from ewtp.domain.customs import Assessment, Consignment, EcbRate, RuleBook, assess
from ewtp.domain.customs.engine import CHINA, assessor, check_consignment, rates_for
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.ports import CustomsUnitOfWork

__all__ = ["CustomsUnitOfWork", "assess_landed_cost", "landed_cost_by_transport"]


def assess_landed_cost(
    uow: CustomsUnitOfWork,
    consignment: Consignment,
    *,
    record_cbec_usage: bool = False,
    now: datetime | None = None,
) -> Assessment:
    """Assess `consignment` with the rules and ECB rates of its date.

    A quote passes `record_cbec_usage=False`. A booking passes True: for an allowed CBEC
    consignment the duty-paid price is added to the buyer's usage for the calendar year,
    in the same transaction as the limit check.
    """
    cbec = consignment.destination_country == CHINA
    if record_cbec_usage and cbec and not consignment.buyer_id:
        raise InvalidInput("is required to record CBEC annual usage", field="buyer_id")
    with uow:
        book, rates, stored = _read_inputs(uow, consignment, for_update=record_cbec_usage)
        assessment = assess(consignment, book, rates, stored_annual_used=stored)
        if record_cbec_usage and cbec and assessment.allowed:
            assert consignment.buyer_id is not None
            uow.cbec_usage.add(
                consignment.buyer_id,
                consignment.date.year,
                assessment.customs_value,
                now or datetime.now(UTC),
            )
            uow.commit()
        return assessment


def landed_cost_by_transport(
    uow: CustomsUnitOfWork, consignment: Consignment
) -> Callable[[Decimal], Assessment]:
    """`assess_landed_cost` of a quote as a function of the transport cost: the rules,
    rates and stored CBEC usage are read once for all the quote's options (nothing is
    recorded). `consignment.transport_cost` is not used.
    """
    with uow:
        book, rates, stored = _read_inputs(uow, consignment, for_update=False)
    return assessor(consignment, book, rates, stored_annual_used=stored)


def _read_inputs(
    uow: CustomsUnitOfWork, consignment: Consignment, *, for_update: bool
) -> tuple[RuleBook, dict[str, EcbRate], Decimal]:
    """The rule book, the customs exchange rates of the consignment and the buyer's stored CBEC usage."""
    book = uow.customs_rules.rule_book()
    check_consignment(consignment, book)
    rates = rates_for(consignment, book, uow.fx.sources())
    stored = Decimal(0)
    if consignment.destination_country == CHINA and consignment.buyer_id:
        stored = uow.cbec_usage.used(
            consignment.buyer_id, consignment.date.year, for_update=for_update
        )
    return book, rates, stored

"""Use case `rule_sources`: the dated rule rows behind a landed cost, with their sources,
so the calculator can show where each figure's rule comes from."""

from __future__ import annotations

from dataclasses import dataclass

from ewtp.domain.customs import Consignment
from ewtp.domain.customs.engine import CHINA
from ewtp.domain.errors import DomainError
from ewtp.services.customs.ports import CustomsUnitOfWork

__all__ = ["RuleSource", "rule_sources"]


@dataclass(frozen=True, slots=True)
class RuleSource:
    rule: str  # what the row decides, e.g. "vat FR" or "tariff 850760"
    value: str
    source: str


def rule_sources(uow: CustomsUnitOfWork, consignment: Consignment) -> list[RuleSource]:
    """The VAT, duty regime, tariff or CBEC lines, consumption taxes and fees that apply."""
    on = consignment.date
    with uow:
        book = uow.customs_rules.rule_book()
    found: list[RuleSource] = []

    def add(rule: str, value: str, lookup: object) -> None:
        source = getattr(lookup, "source", None)
        if source:
            found.append(RuleSource(rule, value, str(source)))

    try:
        if consignment.destination_country == CHINA:
            limits = book.cbec_limits_on(on)
            add(
                "cbec_limits",
                f"{limits.transaction_limit_cny} / {limits.annual_limit_cny} CNY",
                limits,
            )
            for item in consignment.items:
                line = book.cbec_line(item.hs_code, on)
                if line is not None:
                    add(f"cbec {item.hs_code}", f"VAT {line.vat_rate}%", line)
                tax = book.consumption_tax(item.hs_code, on)
                if tax is not None:
                    add(f"consumption_tax {item.hs_code}", f"{tax.rate}%", tax)
        else:
            vat = book.vat_rate(consignment.destination_country, on)
            add(f"vat {consignment.destination_country}", f"{vat.rate}%", vat)
            regime = book.duty_regime(on)
            add("duty_regime", regime.regime, regime)
            for item in consignment.items:
                tariff = book.tariff_line(item.hs_code, on)
                if tariff is not None:
                    add(f"tariff {tariff.hs6}", f"{tariff.rate}%", tariff)
            for fee in book.fees_for(consignment.destination_country, on):
                add(f"fee {fee.country}", f"{fee.amount} {fee.currency} / {fee.per}", fee)
    except DomainError:
        pass  # the assessment itself reports what is missing, naming the field
    return found

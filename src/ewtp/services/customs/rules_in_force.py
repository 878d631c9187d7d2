"""Use case: every customs rule in force on a day, with its source (for a customs team).

Lists the dated rows the engines apply (VAT, EU duty regime, fees, CBEC limits, consumption
tax) and the exchange-rate rule of each destination. Rows whose source starts with
"(unconfirmed)" say so: results using them carry the warning `rule_unconfirmed`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from ewtp.domain.customs.fx_rules import CN_TABLE_NAME
from ewtp.domain.customs.rules import RuleBook, in_force, is_unconfirmed
from ewtp.domain.errors import InvalidInput

__all__ = ["RuleInForce", "rules_in_force"]

FX_EU = ("Impl. Reg. (EU) 2015/2447 Art. 146: the rate published on the penultimate "
         "Wednesday of the previous month (or the last before it), for the whole month")  # fmt: skip
FX_CN = ("GACC Measures on the Collection of Duties on Import and Export Goods, Art. 16: the "
         "PBoC benchmark rate of the third Wednesday of the previous month (fourth if a public "
         "holiday); table `cn-customs`, else the ECB cross rate with warning fx_cross_rate")  # fmt: skip


@dataclass(frozen=True)
class RuleInForce:
    kind: str
    country: str
    rule: str
    valid_from: date | None
    valid_to: date | None
    confirmed: bool
    source: str

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("valid_from", "valid_to"):
            out[key] = out[key].isoformat() if out[key] else None
        return out


def rules_in_force(
    book: RuleBook, on: date, country: str | None, national: dict[str, str]
) -> list[RuleInForce]:
    """The rules applied on `on` to imports into `country` (all destinations when None)."""
    if country is not None and country != "CN" and country not in book.eu_members:
        raise InvalidInput(
            f"no import rules for {country}: EU member states and CN", field="country"
        )
    out: list[RuleInForce] = []

    def add(kind: str, where: str, rule: str, row: Any) -> None:
        out.append(
            RuleInForce(kind, where, rule, row.valid_from, row.valid_to,
                        not is_unconfirmed(row.source), row.source)
        )  # fmt: skip

    eu = sorted(book.eu_members) if country is None else [c for c in [country] if c != "CN"]
    for member in eu:
        if member in national:
            rule = f"national rate ({national[member]}, table national-{member}), else ECB"
        else:
            rule = "ECB euro reference rate"
        out.append(RuleInForce("exchange_rate", member, rule, None, None, True, FX_EU))
        for vat in in_force((r for r in book.vat_rates if r.country == member), on):
            add("vat_rate", member, f"standard VAT {vat.rate}%", vat)
        for regime in in_force(book.duty_regimes, on):
            text = f"duty regime {regime.regime}: LVC threshold EUR {regime.lvc_threshold_eur}"
            if regime.regime == "flat_per_hs6":
                text += f", EUR {regime.flat_duty_eur} per distinct HS6 subheading"
            add("duty_regime", member, text, regime)
        for fee in book.fees_for(member, on):
            scope = "consignments <= EUR 150" if fee.lvc_only else "all consignments"
            add("fee", member, f"{fee.amount} {fee.currency} per {fee.per} ({scope})", fee)
    if country in (None, "CN"):
        out.append(RuleInForce("exchange_rate", "CN", f"GACC rate (table {CN_TABLE_NAME})",
                               None, None, True, FX_CN))  # fmt: skip
        for limits in in_force(book.cbec_limits, on):
            text = (f"CBEC limits CNY {limits.transaction_limit_cny} per transaction, "
                    f"CNY {limits.annual_limit_cny} per year; VAT and CT at "
                    f"{limits.tax_factor * 100:.0f}%")  # fmt: skip
            add("cbec_limits", "CN", text, limits)
        lines = in_force(book.cbec_lines, on)
        if lines:
            add("cbec_positive_list", "CN", f"{len(lines)} tariff lines held (sample)", lines[0])
        for tax in in_force(book.consumption_taxes, on):
            add("consumption_tax", "CN", f"{tax.category} {tax.rate}% (HS {tax.hs_prefix})", tax)
    return out

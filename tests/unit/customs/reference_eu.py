"""The EU assessment as it was computed on `fractions.Fraction`, kept as a test oracle.

Copied from `domain/customs/eu.py` and `allocation.py` before their arithmetic moved to
integer ratios; the new code must give the very same `Assessment`, digit for digit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

from ewtp.domain.customs.eu import EUR, HUNDRED, _scheme, display_rate, eur_rate
from ewtp.domain.customs.model import Assessment, Consignment, LineAssessment, Problem
from ewtp.domain.customs.money import CENT, EcbRate, cents, convert
from ewtp.domain.customs.rules import RuleBook
from ewtp.domain.customs.screening import Screening
from ewtp.domain.errors import InvalidInput

__all__ = ["reference_allocate", "reference_assess_eu"]


def reference_allocate(total: Decimal, exact_parts: Sequence[Fraction]) -> list[Decimal]:
    """The previous `allocate`, on `Fraction`s."""
    floors = [Decimal(int(p * 100) if p >= 0 else -int(-p * 100)).scaleb(-2) for p in exact_parts]
    missing = int((total - sum(floors, Decimal(0))) / CENT)
    if not exact_parts:
        return []
    if missing < 0:  # only when the parts sum above the total (never for our totals)
        floors[0] += missing * CENT
        return floors
    order = sorted(
        range(len(exact_parts)), key=lambda i: (-(exact_parts[i] - Fraction(floors[i])), i)
    )
    for k in range(missing):
        floors[order[k % len(order)]] += CENT
    return floors


def reference_assess_eu(
    c: Consignment, book: RuleBook, rates: Mapping[str, EcbRate], screening: Screening
) -> Assessment:
    src, eur = rates[c.currency], eur_rate(c.date)
    total_in = sum((item.value for item in c.items), Decimal(0))
    intrinsic = convert(total_in, src, eur)
    customs_value = intrinsic + convert(c.transport_cost + c.insurance_cost, src, eur)
    vat_rate = book.vat_rate(c.destination_country, c.date).rate
    regime = book.duty_regime(c.date)
    lvc = intrinsic <= regime.lvc_threshold_eur
    excise, restricted = screening.excise_items, screening.restricted_items
    scheme = _scheme(c, lvc, bool(excise), bool(restricted))

    exact_duty = [Fraction(0)] * len(c.items)
    seen_hs6: set[str] = set()
    for i, item in enumerate(c.items):
        special = book.special(item.hs_code, c.date)
        mfn = not lvc or regime.regime == "tariff"
        mfn = mfn or (regime.regime == "relief" and special is not None and special.relief_excluded)
        if mfn:
            line = book.tariff_line(item.hs_code, c.date)
            if line is None:
                raise InvalidInput(
                    f"HS {item.hs_code[:6]} is not in the tariff table; a duty rate is needed "
                    "(load a TARIC extract with `ewtp customs tariff load`)",
                    field=f"items[{i}].hs_code",
                )
            exact_duty[i] = (
                Fraction(customs_value)
                * Fraction(line.rate)
                * Fraction(item.value)
                / (100 * Fraction(total_in))
            )
        elif regime.regime == "flat_per_hs6" and item.hs_code[:6] not in seen_hs6:
            seen_hs6.add(item.hs_code[:6])
            exact_duty[i] = Fraction(regime.flat_duty_eur)
    duty = cents(sum(exact_duty, Fraction(0)))

    fees = Decimal(0)
    for fee in book.fees_for(c.destination_country, c.date):
        if fee.lvc_only and not lvc:
            continue
        count = {
            "parcel": 1,
            "line": len(c.items),
            "hs6": len({item.hs_code[:6] for item in c.items}),
        }[fee.per]
        fees += convert(fee.amount * count, rates[fee.currency], eur)

    vat = cents((customs_value + duty + fees) * vat_rate / HUNDRED)
    line_duty = reference_allocate(duty, exact_duty)
    exact_vat = [
        (
            Fraction(customs_value + fees) * Fraction(item.value) / Fraction(total_in)
            + Fraction(line_duty[i])
        )
        * Fraction(vat_rate)
        / 100
        for i, item in enumerate(c.items)
    ]
    line_vat = reference_allocate(vat, exact_vat)

    reasons: list[str] = []
    if not lvc:
        reasons.append(f"intrinsic value above EUR {regime.lvc_threshold_eur}")
    if excise:
        reasons.append("excise goods (items " + ", ".join(map(str, sorted(excise))) + ")")
    if restricted:
        reasons.append(
            "goods possibly under prohibitions or restrictions (items "
            + ", ".join(map(str, sorted(restricted)))
            + ")"
        )
    warnings = list(screening.warnings)
    for fee in book.fees_for(c.destination_country, c.date):
        if fee.unconfirmed and (lvc or not fee.lvc_only):
            row = f"{fee.amount} {fee.currency} per {fee.per}: {fee.source}"
            warnings.append(
                Problem("rule_unconfirmed", f"a fee row not yet confirmed was applied ({row})")
            )
    if ((src.reference or c.date) - src.on).days > 4:
        warnings.append(
            Problem(
                "fx_rate_stale",
                f"the rate used for {c.currency} is of {src.on.isoformat()}, more than "
                "4 days before the day the rule asks for",
            )
        )
    total_taxes = duty + vat + fees
    return Assessment(
        currency=EUR,
        exchange_rate=display_rate(src, eur),
        intrinsic_value=intrinsic,
        intrinsic_value_eur=intrinsic,
        customs_value=customs_value,
        duty=duty,
        vat=vat,
        vat_rate=vat_rate,
        consumption_tax=Decimal(0),
        fees=fees,
        total_taxes=total_taxes,
        landed_cost=customs_value + total_taxes,
        scheme=scheme,
        declaration_type="H1" if reasons else "H7",
        allowed=not screening.errors,
        lines=tuple(
            LineAssessment(i, item.hs_code, line_duty[i], line_vat[i])
            for i, item in enumerate(c.items)
        ),
        warnings=tuple(warnings),
        errors=tuple(screening.errors),
        exchange_rate_date=src.on,
        declaration_reasons=tuple(reasons),
        exchange_rate_rule=src.rule,
    )

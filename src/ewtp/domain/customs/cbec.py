"""China cross-border e-commerce (CBEC) retail import of a consignment, in CNY.

Rules (Cai Guan Shui [2016] No. 18 and [2018] No. 49; data rows cite them):
- Duty-paid price = retail price + freight + insurance, converted to CNY at the ECB
  cross rate of the date. It is the value tested against the limits and recorded.
- Within CNY 5,000 per transaction and CNY 26,000 per buyer per calendar year: duty 0%,
  VAT and consumption tax at 70% of the statutory amount, with the composite formula
  tax = price × (VAT + CT) / (1 − CT) × 70%  (VAT part: rate × price/(1 − CT)).
- A single indivisible item (one line, quantity 1) over CNY 5,000 and within the annual
  limit may still use the channel at full rates (duty, VAT, CT at 100%); it counts toward
  the annual limit.
- Several items over CNY 5,000, or any order past the annual limit: refused on this channel
  (general trade). Goods not on the positive list: refused.
Each tax is an exact sum over the lines, rounded once to the fen (0.01), half-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ewtp.domain.customs.allocation import allocate
from ewtp.domain.customs.eu import EUR, STALE_DAYS, display_rate, eur_rate
from ewtp.domain.customs.fx_rules import CN_CROSS
from ewtp.domain.customs.model import Assessment, Consignment, Item, LineAssessment, Problem
from ewtp.domain.customs.money import EcbRate, cents, convert
from ewtp.domain.customs.rules import ConsumptionTax, RuleBook
from ewtp.domain.customs.screening import Screening
from ewtp.domain.errors import InvalidInput

__all__ = [
    "CBEC_DECLARATION",
    "GENERAL_TRADE_DECLARATION",
    "NetQuantityRequired",
    "annual_limit_problem",
    "assess_cbec",
]

CNY = "CNY"
HUNDRED = Decimal(100)
CBEC_DECLARATION = "9610"  # China customs supervision mode: cross-border e-commerce
GENERAL_TRADE_DECLARATION = "0110"  # general trade


def annual_limit_problem(used: Decimal, base: Decimal, limit: Decimal) -> Problem | None:
    """The refusal when `base` CNY on top of the buyer's `used` passes the annual limit."""
    if used + base <= limit:
        return None
    return Problem(
        "cbec_annual_limit",
        f"buyer's annual CBEC total {used} + {base} CNY exceeds {limit} CNY; ship as general trade",
        field="buyer_annual_used",
    )


class NetQuantityRequired(InvalidInput):
    """A consumption-tax condition needs the item's net content, which was not given."""

    code = "net_quantity_required"


def _taxed(ct: ConsumptionTax, item: Item, i: int, base: Decimal, total_in: Decimal) -> bool:
    """Whether the item meets its consumption-tax category's price condition (Cai Shui
    [2016] No. 103 cosmetics, [2006] No. 33 watches): duty-paid price per unit >= the
    threshold. The line's duty-paid price is its share of the consignment's, by value."""
    if not ct.conditional:
        return True
    price = Fraction(base) * Fraction(item.value) / Fraction(total_in)
    if ct.basis == "item":
        assert ct.min_per_piece is not None
        return price / item.quantity >= Fraction(ct.min_per_piece)
    if item.net_quantity is None or item.net_unit is None:
        raise NetQuantityRequired(
            f"HS {item.hs_code} ({ct.category}) pays consumption tax only at a duty-paid "
            f"price of CNY {ct.min_per_ml_g} or more per ml or g, or CNY {ct.min_per_piece} "
            "or more per piece or sheet: give the net content of one unit (net_quantity "
            "with net_unit ml, g, piece or sheet)",
            field=f"items[{i}].net_quantity",
        )
    per_content = item.net_unit in ("ml", "g")
    threshold = ct.min_per_ml_g if per_content else ct.min_per_piece
    assert threshold is not None
    units = Fraction(item.net_quantity) * item.quantity
    return price / units >= Fraction(threshold)


def assess_cbec(
    c: Consignment,
    book: RuleBook,
    rates: Mapping[str, EcbRate],
    screening: Screening,
    stored_annual_used: Decimal,
) -> Assessment:
    src, cny = rates[c.currency], rates[CNY]
    total_in = sum((item.value for item in c.items), Decimal(0))
    price = convert(total_in, src, cny)
    base = price + convert(c.transport_cost + c.insurance_cost, src, cny)
    limits = book.cbec_limits_on(c.date)
    used = c.buyer_annual_used if c.buyer_annual_used is not None else stored_annual_used

    errors = list(screening.errors)
    vat_rates: list[Decimal] = []
    duty_rates: list[Decimal] = []
    ct_rates: list[Decimal] = []
    for i, item in enumerate(c.items):
        line = book.cbec_line(item.hs_code, c.date)
        ct = book.consumption_tax(item.hs_code, c.date)
        ct_rates.append(ct.rate if ct and _taxed(ct, item, i, base, total_in) else Decimal(0))
        if line is None:
            errors.append(
                Problem(
                    "cbec_not_on_positive_list",
                    f"HS {item.hs_code} is not on the CBEC positive list (give the 8-digit "
                    "Chinese tariff code); ship as general trade",
                    field=f"items[{i}].hs_code",
                )
            )
            vat_rates.append(Decimal(0))
            duty_rates.append(Decimal(0))
        else:
            vat_rates.append(line.vat_rate)
            duty_rates.append(line.duty_rate)

    single = len(c.items) == 1 and c.items[0].quantity == 1
    factor, full = limits.tax_factor, False
    over_year = annual_limit_problem(used, base, limits.annual_limit_cny)
    if over_year is not None:
        errors.append(over_year)
    elif base > limits.transaction_limit_cny:
        if single:
            factor, full = Decimal(1), True
        else:
            errors.append(
                Problem(
                    "cbec_transaction_limit",
                    f"{base} CNY exceeds the {limits.transaction_limit_cny} CNY per-transaction "
                    "limit with more than one item; ship as general trade",
                    field="items",
                )
            )
    allowed = not errors
    refused = any(e.code.startswith("cbec_") for e in errors)

    exact_duty: list[Fraction] = []
    exact_vat: list[Fraction] = []
    exact_ct: list[Fraction] = []
    f_factor = Fraction(factor)
    for i, item in enumerate(c.items):
        share = Fraction(base) * Fraction(item.value) / Fraction(total_in)
        d = share * Fraction(duty_rates[i]) / 100 if full else Fraction(0)
        denominator = 100 - Fraction(ct_rates[i])
        exact_duty.append(d)
        exact_vat.append((share + d) * Fraction(vat_rates[i]) / denominator * f_factor)
        exact_ct.append((share + d) * Fraction(ct_rates[i]) / denominator * f_factor)
    if refused:
        exact_duty = exact_vat = exact_ct = [Fraction(0)] * len(c.items)
    duty = cents(sum(exact_duty, Fraction(0)))
    vat = cents(sum(exact_vat, Fraction(0)))
    consumption_tax = cents(sum(exact_ct, Fraction(0)))
    line_duty, line_vat = allocate(duty, exact_duty), allocate(vat, exact_vat)

    warnings = list(screening.warnings)
    if full:
        warnings.append(
            Problem(
                "cbec_full_rates",
                "single indivisible item over the per-transaction limit: full duty, VAT and "
                "consumption tax; counts toward the annual limit",
            )
        )
    stale = max(((r.reference or c.date) - r.on).days for r in (src, cny))
    if stale > STALE_DAYS:
        warnings.append(
            Problem(
                "fx_rate_stale",
                f"the rates used are {stale} days older than the day the rule asks for",
            )
        )
    if cny.rule == CN_CROSS:
        warnings.append(
            Problem(
                "fx_cross_rate",
                "no CN customs rate table for the month: converted at the ECB cross rate of "
                f"{cny.on.isoformat()} (GACC uses the PBoC rate of the third Wednesday of the "
                "previous month; load it with `ewtp fx load --table cn-customs FILE`)",
            )
        )
    total_taxes = duty + vat + consumption_tax
    distinct_vat = set(vat_rates)
    return Assessment(
        currency=CNY,
        exchange_rate=display_rate(src, cny),
        intrinsic_value=price,
        intrinsic_value_eur=convert(total_in, src, rates.get(EUR) or eur_rate(c.date)),
        customs_value=base,
        duty=duty,
        vat=vat,
        vat_rate=distinct_vat.pop() if len(distinct_vat) == 1 else None,
        consumption_tax=consumption_tax,
        fees=Decimal(0),
        total_taxes=total_taxes,
        landed_cost=base + total_taxes,
        scheme="cbec" if not refused else "general_trade",
        declaration_type=CBEC_DECLARATION if not refused else GENERAL_TRADE_DECLARATION,
        allowed=allowed,
        lines=tuple(
            LineAssessment(i, item.hs_code, line_duty[i], line_vat[i])
            for i, item in enumerate(c.items)
        ),
        warnings=tuple(warnings),
        errors=tuple(errors),
        exchange_rate_date=min(src.on, cny.on),
        declaration_reasons=tuple(e.message for e in errors if e.code.startswith("cbec_")),
        exchange_rate_rule=cny.rule,
    )

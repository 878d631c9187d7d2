"""Money arithmetic shared by the scalar and bulk engines: exact rationals, one rounding.

Every amount stays an exact rational (`fractions.Fraction`; inputs are `Decimal`) until
the one place it is rounded: `cents()`, half-up to 0.01 (exactly: floor(100 x + 1/2)).
The bulk engine does the same sums in 128-bit integers, so both round the same exact value.
`cents()` and `convert()` work on integer numerators and denominators rather than
`Fraction` objects: the same exact value, at a fraction of the cost on the quote path.

Currency conversion uses ECB reference rates (units of a currency per 1 EUR):
amount in X -> Y  =  amount x rate(Y) / rate(X), rounded once to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "MAX_MONEY_DECIMALS",
    "MAX_RATE_DECIMALS",
    "EcbRate",
    "cents",
    "convert",
    "money_str",
    "ratio_cents",
]

CENT = Decimal("0.01")
# Inputs are bounded so the bulk engine's 128-bit integer sums can never overflow.
MAX_AMOUNT = Decimal("10000000")
MAX_MONEY_DECIMALS = 4
MAX_RATE_DECIMALS = 6


def _ratio(value: Decimal | Fraction | int) -> tuple[int, int]:
    """`value` as (numerator, denominator > 0), exact."""
    if type(value) is Decimal:  # the usual case first: `isinstance(_, Fraction)` is an ABC check
        return value.as_integer_ratio()
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    if isinstance(value, int):
        return int(value), 1
    return value.as_integer_ratio()


def ratio_cents(numerator: int, denominator: int) -> Decimal:
    """`cents()` of the exact value `numerator / denominator` (`denominator` > 0):
    floor(100 x numerator / denominator + 1/2) cents."""
    return Decimal((200 * numerator + denominator) // (2 * denominator)).scaleb(-2)


def cents(value: Decimal | Fraction | int) -> Decimal:
    """Round an exact non-negative amount to the cent, half-up: the one rounding of a figure."""
    return ratio_cents(*_ratio(value))


def money_str(value: Decimal) -> str:
    """The JSON form of an amount: a string with exactly two decimals."""
    return str(cents(value))


@dataclass(frozen=True, slots=True)
class EcbRate:
    """One exchange rate: `per_eur` units of `currency` for 1 unit of a common base, as of
    `on` (the publication date of the rate used).

    The base is the euro for ECB rates. The customs rules of `fx_rules.py` may use another
    base for the rates of one consignment (units of a national or CN table), so that
    every conversion stays an exact ratio; `rule` names the rule that chose the rate and
    `reference` the publication day the rule asked for.
    """

    currency: str
    per_eur: Decimal
    on: date
    rule: str = "ecb_reference"
    reference: date | None = None


def convert(amount: Decimal | Fraction, source: EcbRate, target: EcbRate) -> Decimal:
    """`amount` in `source.currency`, converted into `target.currency` and rounded once."""
    if source.currency == target.currency:
        return cents(amount)
    # amount x target / source, as one exact ratio of integers
    amount_n, amount_d = _ratio(amount)
    target_n, target_d = _ratio(target.per_eur)
    source_n, source_d = _ratio(source.per_eur)
    numerator = amount_n * target_n * source_d
    denominator = amount_d * target_d * source_n
    if denominator < 0:
        numerator, denominator = -numerator, -denominator
    if denominator == 0:
        raise ZeroDivisionError(f"an ECB rate of zero for {source.currency}")
    return ratio_cents(numerator, denominator)

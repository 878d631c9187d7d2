"""Money arithmetic shared by the scalar and bulk engines: exact rationals, one rounding.

Every amount stays an exact rational (`fractions.Fraction`; inputs are `Decimal`) until
the one place it is rounded: `cents()`, half-up to 0.01. The bulk engine does the same
sums in 128-bit integers, so both round the same exact value.

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
]

CENT = Decimal("0.01")
# Inputs are bounded so the bulk engine's 128-bit integer sums can never overflow.
MAX_AMOUNT = Decimal("10000000")
MAX_MONEY_DECIMALS = 4
MAX_RATE_DECIMALS = 6


def cents(value: Decimal | Fraction | int) -> Decimal:
    """Round an exact non-negative amount to the cent, half-up: the one rounding of a figure."""
    exact = Fraction(value) * 100
    whole = (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)
    return Decimal(whole).scaleb(-2)


def money_str(value: Decimal) -> str:
    """The JSON form of an amount: a string with exactly two decimals."""
    return str(cents(value))


@dataclass(frozen=True, slots=True)
class EcbRate:
    """One ECB euro reference rate: `per_eur` units of `currency` for 1 EUR, as of `on`."""

    currency: str
    per_eur: Decimal
    on: date


def convert(amount: Decimal | Fraction, source: EcbRate, target: EcbRate) -> Decimal:
    """`amount` in `source.currency`, converted into `target.currency` and rounded once."""
    if source.currency == target.currency:
        return cents(amount)
    return cents(Fraction(amount) * Fraction(target.per_eur) / Fraction(source.per_eur))

"""Integer money arithmetic equals the exact `fractions.Fraction` arithmetic it replaced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.customs.money import EcbRate, cents, convert

from .strategies import ecb_rates, exact_amounts


def reference_cents(value: Decimal | Fraction | int) -> Decimal:
    """The previous implementation, on `Fraction`: floor(100 x + 1/2) cents."""
    exact = Fraction(value) * 100
    whole = (2 * exact.numerator + exact.denominator) // (2 * exact.denominator)
    return Decimal(whole).scaleb(-2)


def reference_convert(amount: Decimal | Fraction, source: EcbRate, target: EcbRate) -> Decimal:
    if source.currency == target.currency:
        return reference_cents(amount)
    return reference_cents(Fraction(amount) * Fraction(target.per_eur) / Fraction(source.per_eur))


def same(a: Decimal, b: Decimal) -> bool:
    """Equal value and equal text (two decimals, same sign)."""
    return a == b and str(a) == str(b)


@given(exact_amounts())
def test_cents_rounds_exactly_as_the_fraction_reference(value: Decimal | Fraction | int) -> None:
    assert same(cents(value), reference_cents(value))


@given(
    st.one_of(
        exact_amounts().filter(lambda v: not isinstance(v, int)),
        st.decimals(min_value=0, max_value=10**7, places=4),
    ),
    ecb_rates(),
    ecb_rates(),
)
def test_convert_rounds_exactly_as_the_fraction_reference(
    amount: Decimal | Fraction, source: EcbRate, target: EcbRate
) -> None:
    assert same(convert(amount, source, target), reference_convert(amount, source, target))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1.005"), "1.01"),  # a tie goes up
        (Decimal("1.00499999"), "1.00"),
        (Decimal("-1.005"), "-1.00"),  # floor(x + 1/2): a negative tie goes towards zero
        (Decimal("-1.006"), "-1.01"),
        (Fraction(1, 3), "0.33"),
        (Fraction(2, 3), "0.67"),
        (7, "7.00"),
        (Decimal("0"), "0.00"),
    ],
)
def test_cents_worked_examples(value: Decimal | Fraction | int, expected: str) -> None:
    assert str(cents(value)) == expected


def test_convert_worked_example_through_the_euro() -> None:
    # 100.00 USD at 1.0850 USD/EUR into CNY at 7.8210 CNY/EUR = 720.8294... CNY
    on = date(2026, 1, 5)
    usd, cny = EcbRate("USD", Decimal("1.0850"), on), EcbRate("CNY", Decimal("7.8210"), on)
    assert str(convert(Decimal("100.00"), usd, cny)) == "720.83"
    assert str(convert(Decimal("720.83"), cny, usd)) == "100.00"


def test_convert_refuses_a_zero_rate_as_before() -> None:
    on = date(2026, 1, 5)
    zero, eur = EcbRate("XXX", Decimal(0), on), EcbRate("EUR", Decimal(1), on)
    with pytest.raises(ZeroDivisionError):
        convert(Decimal("1"), zero, eur)

"""The EU assessment on integer ratios equals the `Fraction` computation it replaced."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from functools import partial

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ewtp.adapters.customs.fx import bundled_rates
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.domain.customs import check_consignment, needed_currencies
from ewtp.domain.customs.allocation import allocate, allocate_ratios, over_common_denominator
from ewtp.domain.customs.eu import EUR, assess_eu, eu_basis
from ewtp.domain.customs.model import Assessment, Consignment
from ewtp.domain.customs.money import EcbRate, cents
from ewtp.domain.customs.screening import Screening, screen
from ewtp.domain.errors import DomainError

from .reference_eu import reference_allocate, reference_assess_eu
from .strategies import eu_consignments

BOOK = load_rule_book()
RATES = bundled_rates()
SLOW = [HealthCheck.filter_too_much, HealthCheck.too_slow]


def inputs(c: Consignment) -> tuple[dict[str, EcbRate], Screening]:
    """The rates and screening `engine.assess` hands `assess_eu`; else the example is dropped."""
    try:
        check_consignment(c, BOOK)
        rates = {cur: RATES.rate(cur, c.date) for cur in needed_currencies(c, BOOK)}
    except DomainError:
        assume(False)
        raise
    return {EUR: EcbRate(EUR, Decimal(1), c.date), **rates}, screen(c, BOOK)


def outcome(run: Callable[[], Assessment]) -> Assessment | str:
    """The assessment, or the error's kind and field (both computations must refuse alike)."""
    try:
        return run()
    except (DomainError, ZeroDivisionError) as exc:
        return f"{type(exc).__name__}: {getattr(exc, 'field', None)}"


@settings(max_examples=300, deadline=None, suppress_health_check=SLOW)
@given(eu_consignments())
def test_eu_assessment_equals_the_fraction_reference_digit_for_digit(c: Consignment) -> None:
    rates, screening = inputs(c)
    new = outcome(lambda: assess_eu(c, BOOK, rates, screening))
    old = outcome(lambda: reference_assess_eu(c, BOOK, rates, screening))
    assert new == old
    assert repr(new) == repr(old)  # same Decimal digits and exponents, not only values


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW)
@given(eu_consignments(), st.lists(st.decimals(min_value=0, max_value=500, places=2), max_size=4))
def test_one_basis_gives_each_transport_price_its_independent_assessment(
    c: Consignment, transports: list[Decimal]
) -> None:
    """The options of one quote share a basis; each must equal its own full assessment."""
    rates, screening = inputs(c)
    try:
        basis = eu_basis(c, BOOK, rates, screening)
    except DomainError:
        assume(False)
        raise
    for transport in transports:
        alone = replace(c, transport_cost=transport)
        shared = outcome(partial(basis.assess, transport + c.insurance_cost))
        independent = outcome(partial(reference_assess_eu, alone, BOOK, rates, screening))
        assert repr(shared) == repr(independent)


parts = st.lists(
    st.fractions(min_value=-50, max_value=10**6, max_denominator=10**7), min_size=0, max_size=8
)


@given(parts, st.integers(-3, 5))
def test_allocate_equals_the_fraction_reference(exact: list[Fraction], extra: int) -> None:
    total = cents(sum(exact, Fraction(0))) + Decimal(extra).scaleb(-2)
    assert repr(allocate(total, exact)) == repr(reference_allocate(total, exact))
    numerators, denominator = over_common_denominator([(p.numerator, p.denominator) for p in exact])
    assert repr(allocate_ratios(total, numerators, denominator)) == repr(
        reference_allocate(total, exact)
    )


def test_allocate_gives_the_missing_cents_to_the_largest_remainders_earlier_first() -> None:
    # 10.00 over three equal thirds: 3.33 each, one cent missing, goes to the first line
    thirds = [Fraction(10, 3)] * 3
    assert [str(x) for x in allocate(Decimal("10.00"), thirds)] == ["3.34", "3.33", "3.33"]
    # remainders .004, .009, .001: two cents missing go to the 2nd, then the 1st line
    exact = [Fraction("1.004"), Fraction("1.009"), Fraction("1.001")]
    assert [str(x) for x in allocate(Decimal("3.02"), exact)] == ["1.01", "1.01", "1.00"]

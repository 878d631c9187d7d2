"""Inspection selection: stable per number, close to the rate over many numbers."""

from __future__ import annotations

import math
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.hub import Selector, selected_for_inspection
from ewtp.domain.s10 import make_s10

numbers = st.builds(
    make_s10, st.sampled_from(["LP", "RR", "UA"]), st.integers(0, 99_999_999), st.just("CN")
)


@given(numbers, st.decimals(min_value=0, max_value=1, places=6))
def test_selection_is_the_same_for_a_number_every_time(number: str, rate: Decimal) -> None:
    first = selected_for_inspection(number, rate)
    assert all(selected_for_inspection(number, rate) is first for _ in range(3))
    assert Selector(rate)(number) is first


@given(numbers)
def test_a_screening_flag_is_always_selected(number: str) -> None:
    assert selected_for_inspection(number, Decimal(0), flagged=True)


def _share(rate: Decimal, n: int = 100_000) -> int:
    select = Selector(rate)
    return sum(select(make_s10("LP", serial, "CN")) for serial in range(n))


def test_the_selected_share_of_100000_numbers_is_close_to_the_rate() -> None:
    # Binomial(n, p): within 5 standard deviations of n p.
    n = 100_000
    for rate in (Decimal("0.01"), Decimal("0.3")):
        p = float(rate)
        sd = math.sqrt(n * p * (1 - p))
        assert abs(_share(rate, n) - n * p) < 5 * sd


def test_the_liege_rate_selects_a_handful_of_100000() -> None:
    # 0.006 %: 6 expected; P(Poisson(6) > 20) < 1e-5.
    assert _share(Decimal("0.00006")) <= 20
    assert _share(Decimal(0)) == 0
    assert _share(Decimal(1)) == 100_000


@given(
    st.one_of(
        numbers,
        st.from_regex(r"\A[A-Za-z ]{2}\d{9}[A-Za-z]{2} ?\Z"),
        st.text(max_size=15),
    )
)
def test_the_fast_s10_check_of_the_sort_agrees_with_the_domains(raw: str) -> None:
    from ewtp.domain.s10 import is_valid_s10
    from ewtp.services.hub.decisions import normalize_number

    cleaned = raw.strip().upper().replace(" ", "")
    # Other scripts' digits match the domain's \d; a scanned label never carries them.
    expected = cleaned if cleaned.isascii() and is_valid_s10(cleaned) else None
    assert normalize_number(raw) == expected

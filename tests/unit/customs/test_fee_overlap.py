"""Overlapping national fee rows are refused, naming the row they overlap."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.customs.fees import periods_overlap
from ewtp.domain.customs.rules import Fee
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.admin import add_fee, end_fee

from .fakes import FakeCustomsUnitOfWork

START = date(2027, 1, 1)
days = st.integers(min_value=0, max_value=40)
ends = st.one_of(st.none(), days)


def fee(start: date = START, end: date | None = None, **changes: object) -> Fee:
    base = {"country": "DE", "amount": Decimal("1.50"), "currency": "EUR", "per": "parcel",
            "lvc_only": True, "valid_from": start, "valid_to": end, "source": "test"}  # fmt: skip
    return Fee(**{**base, **changes})  # type: ignore[arg-type]


@given(days, ends, days, ends)
def test_periods_overlap_exactly_when_some_day_is_in_both(a: int, a_len: int | None,
                                                          b: int, b_len: int | None) -> None:  # fmt: skip
    a_to = None if a_len is None else START + timedelta(a + a_len)
    b_to = None if b_len is None else START + timedelta(b + b_len)
    horizon = 100  # both periods start within 40 days and last at most 40: open ends fit

    def covers(start: int, end: date | None, day: date) -> bool:
        return START + timedelta(start) <= day and (end is None or day <= end)

    brute = any(
        covers(a, a_to, d) and covers(b, b_to, d)
        for d in (START + timedelta(n) for n in range(horizon))
    )
    assert periods_overlap(START + timedelta(a), a_to, START + timedelta(b), b_to) is brute


def test_posting_the_same_fee_twice_is_refused_naming_the_first() -> None:
    uow = FakeCustomsUnitOfWork()
    first = add_fee(uow, fee())
    with pytest.raises(InvalidInput) as refused:
        add_fee(uow, fee())
    assert f"operator fee {first}" in refused.value.message
    assert "DE, EUR 1.50 per parcel, LVC only, 2027-01-01 to open" in refused.value.message
    assert refused.value.field == "valid_from"
    assert len(uow.customs_rules.fees) == 1  # nothing written


def test_a_row_after_the_end_of_another_is_accepted_and_other_scopes_do_not_clash() -> None:
    uow = FakeCustomsUnitOfWork()
    first = add_fee(uow, fee())
    end_fee(uow, first, date(2027, 3, 31))
    add_fee(uow, fee(date(2027, 4, 1), amount=Decimal("2.00")))
    add_fee(uow, fee(per="hs6"))
    add_fee(uow, fee(lvc_only=False))
    add_fee(uow, fee(country="AT"))
    with pytest.raises(InvalidInput, match="overlaps operator fee"):
        add_fee(uow, fee(date(2027, 3, 31), date(2027, 3, 31)))


def test_a_row_overlapping_a_shipped_fee_is_refused() -> None:
    uow = FakeCustomsUnitOfWork()  # ships FR EUR 2 per line, LVC only, from 2026-03-01
    with pytest.raises(InvalidInput, match=r"overlaps the shipped fee \(FR, EUR 2 per line"):
        add_fee(uow, fee(date(2027, 1, 1), country="FR", per="line", amount=Decimal("2")))

"""Overlapping national fee rows are refused, naming the row they overlap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.domain.customs.fees import periods_overlap
from ewtp.domain.customs.rules import Fee
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.admin import add_fee, end_fee
from ewtp.services.customs.ports import FeeActor

from .fakes import FakeCustomsUnitOfWork

START = date(2027, 1, 1)
ACTOR = FeeActor("acct-ops", "planner@ops.example")
NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
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
    first = add_fee(uow, fee(), actor=ACTOR, now=NOW)
    with pytest.raises(InvalidInput) as refused:
        add_fee(uow, fee(), actor=ACTOR, now=NOW)
    assert f"operator fee {first}" in refused.value.message
    assert "DE, EUR 1.50 per parcel, LVC only, 2027-01-01 to open" in refused.value.message
    assert refused.value.field == "valid_from"
    assert len(uow.customs_rules.fees) == 1  # nothing written
    assert [e.fee_id for e in uow.fee_audit.entries] == [first]  # nor audited


def test_adding_and_ending_a_row_each_leave_an_audit_entry_naming_who_and_when() -> None:
    uow = FakeCustomsUnitOfWork()
    first = add_fee(uow, fee(), actor=ACTOR, now=NOW)
    later = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    end_fee(uow, first, date(2027, 3, 31), actor=FeeActor("acct-ops", "API key k1"), now=later)
    added, ended = uow.fee_audit.entries
    assert (added.action, added.actor, added.at, added.fee_id) == ("add", ACTOR.who, NOW, first)
    assert added.account_id == "acct-ops"
    assert "DE, EUR 1.50 per parcel, LVC only, 2027-01-01 to open" in added.detail
    assert (ended.action, ended.actor, ended.at) == ("end", "API key k1", later)
    assert "2027-01-01 to 2027-03-31" in ended.detail
    assert uow.fee_audit.recent(1) == [ended]


def test_a_row_after_the_end_of_another_is_accepted_and_other_scopes_do_not_clash() -> None:
    uow = FakeCustomsUnitOfWork()
    first = add_fee(uow, fee(), actor=ACTOR, now=NOW)
    end_fee(uow, first, date(2027, 3, 31), actor=ACTOR, now=NOW)
    add_fee(uow, fee(date(2027, 4, 1), amount=Decimal("2.00")), actor=ACTOR, now=NOW)
    add_fee(uow, fee(per="hs6"), actor=ACTOR, now=NOW)
    add_fee(uow, fee(lvc_only=False), actor=ACTOR, now=NOW)
    add_fee(uow, fee(country="AT"), actor=ACTOR, now=NOW)
    with pytest.raises(InvalidInput, match="overlaps operator fee"):
        add_fee(uow, fee(date(2027, 3, 31), date(2027, 3, 31)), actor=ACTOR, now=NOW)


def test_a_row_overlapping_a_shipped_fee_is_refused() -> None:
    uow = FakeCustomsUnitOfWork()  # ships FR EUR 2 per line, LVC only, from 2026-03-01
    with pytest.raises(InvalidInput, match=r"overlaps the shipped fee \(FR, EUR 2 per line"):
        add_fee(
            uow,
            fee(date(2027, 1, 1), country="FR", per="line", amount=Decimal("2")),
            actor=ACTOR,
            now=NOW,
        )


def test_ending_a_row_later_may_not_reach_into_the_next_row() -> None:
    uow = FakeCustomsUnitOfWork()
    first = add_fee(uow, fee(), actor=ACTOR, now=NOW)
    end_fee(uow, first, date(2027, 3, 31), actor=ACTOR, now=NOW)
    second = add_fee(uow, fee(date(2027, 4, 1)), actor=ACTOR, now=NOW)
    with pytest.raises(InvalidInput, match=f"would overlap operator fee {second}") as refused:
        end_fee(uow, first, date(2027, 4, 1), actor=ACTOR, now=NOW)
    assert refused.value.field == "valid_to"
    assert uow.customs_rules.fees[first - 1].valid_to == date(2027, 3, 31)  # unchanged
    end_fee(uow, first, date(2027, 2, 28), actor=ACTOR, now=NOW)  # earlier is always fine
    assert [e.action for e in uow.fee_audit.entries] == ["add", "end", "add", "end"]

"""Booking, cancelling and listing shipments through the use cases, on fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.adapters.merchant.pricing_data import load_rate_card, load_service_indicators
from ewtp.domain.errors import Conflict, InvalidInput, NotFound, ShipmentCancelled
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.shipments import ServiceLevel
from ewtp.services.merchant.quotes import QuoteCommand, quote_shipment
from ewtp.services.merchant.shipments import (
    BookCommand,
    book_shipment,
    cancel_shipment,
    create_shipment,
    get_customs,
    get_label,
    get_shipment,
    list_shipments,
)

from .fakes import FakeCustoms, FakeLabels, FakeMerchantUnitOfWork, FakePlanner
from .strategies import make_request

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
CARD = load_rate_card()
INDICATORS = load_service_indicators()


def independent_s10_ok(number: str) -> bool:
    """The UPU S10 check written out independently of ewtp.domain.s10."""
    if len(number) != 13 or not (number[:2].isalpha() and number[11:].isalpha()):
        return False
    digits = [int(c) for c in number[2:10]]
    total = sum(d * w for d, w in zip(digits, [8, 6, 4, 2, 3, 5, 9, 7], strict=True))
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return number[10] == str(check)


def book(uow: FakeMerchantUnitOfWork, shipment_id: str, **kw: object) -> object:
    return book_shipment(
        uow,
        FakePlanner(),
        FakeCustoms(),
        FakeLabels(),
        CARD,
        INDICATORS,
        BookCommand("acct", shipment_id, NOW, **kw),  # type: ignore[arg-type]
    )


def test_booking_a_quoted_option_assigns_s10_label_and_customs() -> None:
    uow, customs = FakeMerchantUnitOfWork(), FakeCustoms()
    quote = quote_shipment(
        uow, FakePlanner(), FakeCustoms(), CARD, QuoteCommand("acct", make_request(), NOW)
    )
    option = quote.options[0]
    draft = create_shipment(uow, "acct", NOW, quote_option_id=option.id)
    booked = book_shipment(
        uow,
        FakePlanner(),
        customs,
        FakeLabels(),
        CARD,
        INDICATORS,
        BookCommand("acct", draft.id, NOW + timedelta(minutes=5)),
    )
    assert booked.status is ShipmentStatus.BOOKED
    assert booked.option == option
    # serial 00000001: 1 x 7 = 7, 11 - 7 = 4; express (EE), origin HGH in CN
    assert booked.tracking_number == "EE000000014CN"
    assert independent_s10_ok(booked.tracking_number)
    assert customs.calls == [(option.price.transport, True)]  # booking records CBEC usage
    assert get_label(uow, "acct", draft.id).startswith(b"%PDF")
    assert b"CDG-FR-75" in get_label(uow, "acct", draft.id)
    assert get_customs(uow, "acct", draft.id)["h7"]["hawb"] == booked.tracking_number
    [event] = uow.outbox.events
    assert event["type"] == "shipment.booked"
    assert (event["shipment_id"], event["tracking_number"]) == (draft.id, booked.tracking_number)


def test_booking_without_an_option_prices_now_and_takes_the_level_asked() -> None:
    uow = FakeMerchantUnitOfWork()
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    booked = book(uow, draft.id, service_level=ServiceLevel.ECONOMY)
    assert booked.option.service_level is ServiceLevel.ECONOMY  # type: ignore[attr-defined]
    assert booked.tracking_number.startswith("CE")  # type: ignore[attr-defined]


def test_an_expired_option_named_at_booking_is_refused() -> None:
    uow = FakeMerchantUnitOfWork()
    quote = quote_shipment(
        uow, FakePlanner(), FakeCustoms(), CARD, QuoteCommand("acct", make_request(), NOW)
    )
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    late = BookCommand("acct", draft.id, NOW + timedelta(hours=1), quote.options[0].id)
    with pytest.raises(Conflict, match="expired"):
        book_shipment(uow, FakePlanner(), FakeCustoms(), FakeLabels(), CARD, INDICATORS, late)


def test_booking_twice_is_a_conflict_and_keeps_the_first_number() -> None:
    uow = FakeMerchantUnitOfWork()
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    first = book(uow, draft.id)
    with pytest.raises(Conflict, match="only a draft"):
        book(uow, draft.id)
    assert len(uow.outbox.events) == 1
    assert get_shipment(uow, "acct", draft.id).tracking_number == first.tracking_number  # type: ignore[attr-defined]


def test_cancel_until_handover_then_409_with_the_reason() -> None:
    uow = FakeMerchantUnitOfWork()
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    book(uow, draft.id)
    assert cancel_shipment(uow, "acct", draft.id, NOW).status is ShipmentStatus.CANCELLED
    other = create_shipment(uow, "acct", NOW, request=make_request())
    book(uow, other.id)
    handed = replace(uow.shipments.rows[other.id], status=ShipmentStatus.IN_TRANSIT)
    uow.shipments.rows[other.id] = handed
    with pytest.raises(Conflict, match="handed over"):
        cancel_shipment(uow, "acct", other.id, NOW)


def test_another_merchants_shipment_is_not_found_like_a_missing_one() -> None:
    uow = FakeMerchantUnitOfWork()
    mine = create_shipment(uow, "acct", NOW, request=make_request())
    for action in (
        lambda sid: get_shipment(uow, "other", sid),
        lambda sid: cancel_shipment(uow, "other", sid, NOW),
        lambda sid: get_label(uow, "other", sid),
        lambda sid: get_customs(uow, "other", sid),
    ):
        with pytest.raises(NotFound) as theirs:
            action(mine.id)
        with pytest.raises(NotFound) as missing:
            action("no-such-id")
        assert str(theirs.value) == str(missing.value)


def test_a_quote_option_of_another_merchant_is_not_found() -> None:
    uow = FakeMerchantUnitOfWork()
    quote = quote_shipment(
        uow, FakePlanner(), FakeCustoms(), CARD, QuoteCommand("acct", make_request(), NOW)
    )
    with pytest.raises(NotFound):
        create_shipment(uow, "other", NOW, quote_option_id=quote.options[0].id)


def test_paging_visits_every_shipment_once_newest_first() -> None:
    uow = FakeMerchantUnitOfWork()
    made = [
        create_shipment(uow, "acct", NOW + timedelta(seconds=i // 3), request=make_request()).id
        for i in range(11)
    ]
    seen, after = [], None
    while True:
        page = list_shipments(uow, "acct", limit=4, after=after)
        seen += [s.id for s in page.shipments]
        if page.next_after is None:
            break
        after = page.next_after
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))


def test_limit_over_100_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        list_shipments(FakeMerchantUnitOfWork(), "acct", limit=101)
    assert err.value.field == "limit"


@settings(max_examples=60, deadline=None)
@given(
    level=st.sampled_from(list(ServiceLevel)),
    start=st.integers(min_value=0, max_value=99_999_990),
)
def test_every_allocated_tracking_number_passes_an_independent_check(
    level: ServiceLevel, start: int
) -> None:
    uow = FakeMerchantUnitOfWork()
    uow.serials.start = start
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    booked = book(uow, draft.id, service_level=level)
    number = booked.tracking_number  # type: ignore[attr-defined]
    assert independent_s10_ok(number)
    assert number[:2] == INDICATORS[level]
    assert number.endswith("CN")
    assert int(number[2:10]) == start + 1


@settings(max_examples=60, deadline=None)
@given(serial=st.integers(0, 99_999_999), wrong=st.integers(1, 9))
def test_a_wrong_check_digit_is_refused_where_a_tracking_number_is_accepted(
    serial: int, wrong: int
) -> None:
    from ewtp.domain.s10 import make_s10

    good = make_s10("CP", serial, "CN")
    bad = good[:10] + str((int(good[10]) + wrong) % 10) + good[11:]
    assert not independent_s10_ok(bad)
    with pytest.raises(InvalidInput, match="check digit") as err:
        list_shipments(FakeMerchantUnitOfWork(), "acct", tracking_number=bad)
    assert err.value.field == "tracking_number"
    assert list_shipments(FakeMerchantUnitOfWork(), "acct", tracking_number=good).shipments == []


def test_a_cancelled_shipment_has_no_label_and_no_customs_records() -> None:
    uow = FakeMerchantUnitOfWork()
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    book(uow, draft.id)
    assert get_label(uow, "acct", draft.id).startswith(b"%PDF")
    cancel_shipment(uow, "acct", draft.id, NOW)
    for read in (get_label, get_customs):
        with pytest.raises(ShipmentCancelled) as void:
            read(uow, "acct", draft.id)
        assert void.value.code == "shipment_cancelled"
        assert isinstance(void.value, Conflict)  # so the API answers 409

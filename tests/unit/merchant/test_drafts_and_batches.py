"""Editing drafts, booking a batch and printing a batch of labels, on fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ewtp.adapters.merchant.pricing_data import load_rate_card, load_service_indicators
from ewtp.domain.errors import Conflict, InvalidInput, NotFound, ShipmentCancelled
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.services.merchant.drafts_and_batches import (
    MAX_BATCH,
    book_shipments,
    labels_pdf,
    update_draft,
)
from ewtp.services.merchant.quotes import QuoteCommand, quote_shipment
from ewtp.services.merchant.shipments import cancel_shipment, create_shipment, list_shipments

from .fakes import FakeCustoms, FakeLabels, FakeMerchantUnitOfWork, FakePlanner
from .strategies import make_request

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
CARD = load_rate_card()
INDICATORS = load_service_indicators()


def batch(uow: FakeMerchantUnitOfWork, ids: list[str]) -> list[object]:
    return book_shipments(
        uow, FakePlanner(), FakeCustoms(), FakeLabels(), CARD, INDICATORS, "acct", ids, NOW
    )  # type: ignore[return-value]


def test_a_draft_is_edited_and_its_stale_option_dropped() -> None:
    uow = FakeMerchantUnitOfWork()
    quote = quote_shipment(
        uow, FakePlanner(), FakeCustoms(), CARD, QuoteCommand("acct", make_request(), NOW)
    )
    draft = create_shipment(uow, "acct", NOW, quote_option_id=quote.options[0].id)
    request = replace(make_request(), reference="ORDER-7")
    edited = update_draft(uow, "acct", draft.id, request, NOW)
    assert edited.request.reference == "ORDER-7"
    assert (edited.option, edited.quote_option_id) == (None, None)
    assert uow.shipments.rows[draft.id] == edited
    found = list_shipments(uow, "acct", reference="ORDER-7").shipments
    assert [s.id for s in found] == [draft.id]
    assert list_shipments(uow, "acct", reference="ORDER-8").shipments == []


def test_only_drafts_are_edited_and_bad_edits_name_the_field() -> None:
    uow = FakeMerchantUnitOfWork()
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    bad = make_request()
    bad = replace(bad, recipient=replace(bad.recipient, country="XX"))
    with pytest.raises(InvalidInput) as wrong:
        update_draft(uow, "acct", draft.id, bad, NOW)
    assert wrong.value.field == "recipient.country"
    batch(uow, [draft.id])
    with pytest.raises(Conflict, match="only a draft"):
        update_draft(uow, "acct", draft.id, make_request(), NOW)
    with pytest.raises(NotFound):
        update_draft(uow, "other", draft.id, make_request(), NOW)


def test_a_batch_books_each_draft_and_reports_each_refusal() -> None:
    uow = FakeMerchantUnitOfWork()
    first = create_shipment(uow, "acct", NOW, request=make_request())
    second = create_shipment(uow, "acct", NOW, request=make_request())
    batch(uow, [first.id])
    results = batch(uow, [first.id, second.id, "nope"])
    assert [r.shipment_id for r in results] == [first.id, second.id, "nope"]  # type: ignore[attr-defined]
    assert isinstance(results[0].error, Conflict)  # type: ignore[attr-defined]
    assert results[1].shipment.status is ShipmentStatus.BOOKED  # type: ignore[attr-defined]
    assert isinstance(results[2].error, NotFound)  # type: ignore[attr-defined]
    with pytest.raises(InvalidInput) as too_many:
        batch(uow, [f"id{n}" for n in range(MAX_BATCH + 1)])
    assert too_many.value.field == "ids"


def test_labels_of_a_batch_come_as_one_pdf_in_order_or_not_at_all() -> None:
    uow = FakeMerchantUnitOfWork()
    ids = [create_shipment(uow, "acct", NOW, request=make_request()).id for _ in range(3)]
    booked = [r.shipment for r in batch(uow, ids)]  # type: ignore[attr-defined]
    pdf = labels_pdf(uow, FakeLabels(), "acct", [ids[2], ids[0]])
    numbers = [s.tracking_number for s in booked]
    assert pdf.index(numbers[2].encode()) < pdf.index(numbers[0].encode())
    assert numbers[1].encode() not in pdf
    cancel_shipment(uow, "acct", ids[1], NOW)
    with pytest.raises(ShipmentCancelled) as void:
        labels_pdf(uow, FakeLabels(), "acct", [ids[0], ids[1]])
    assert void.value.field == "ids[1]"
    draft = create_shipment(uow, "acct", NOW, request=make_request())
    with pytest.raises(Conflict) as unbooked:
        labels_pdf(uow, FakeLabels(), "acct", [draft.id])
    assert unbooked.value.field == "ids[0]"
    with pytest.raises(NotFound):
        labels_pdf(uow, FakeLabels(), "other", [ids[0]])
    with pytest.raises(InvalidInput) as twice:
        labels_pdf(uow, FakeLabels(), "acct", [ids[0], ids[0]])
    assert twice.value.field == "ids[1]"

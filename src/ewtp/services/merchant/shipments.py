"""Use cases of merchant shipments: create, read, list, book, cancel; label and customs."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ewtp.domain.customs.cbec import annual_limit_problem
from ewtp.domain.errors import Conflict, InvalidInput, NotFound, ShipmentCancelled
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment, book, cancel, sort_code
from ewtp.domain.merchant.pricing import RateCard
from ewtp.domain.merchant.quotes import QuoteOption, default_option
from ewtp.domain.merchant.shipments import ServiceLevel, ShipmentRequest, validate_request
from ewtp.domain.s10 import make_s10, validate_s10
from ewtp.services.merchant.ports import (
    AbstractCustomsEngine,
    AbstractLabelRenderer,
    AbstractRoutePlanner,
    CbecCharge,
    MerchantUnitOfWork,
)
from ewtp.services.merchant.quotes import price_options

__all__ = [
    "MAX_PAGE",
    "BookCommand",
    "ShipmentPage",
    "book_shipment",
    "cancel_shipment",
    "create_shipment",
    "get_customs",
    "get_label",
    "get_shipment",
    "list_shipments",
    "new_draft",
]

MAX_PAGE = 100


def new_draft(account_id: str, request: ShipmentRequest, now: datetime) -> Shipment:
    """A validated draft shipment, not yet stored."""
    return Shipment(
        id=str(uuid.uuid4()),
        account_id=account_id,
        status=ShipmentStatus.DRAFT,
        request=validate_request(request),
        created_at=now,
        updated_at=now,
        origin_hub=request.origin_hub,
    )


def create_shipment(
    uow: MerchantUnitOfWork,
    account_id: str,
    now: datetime,
    *,
    request: ShipmentRequest | None = None,
    quote_option_id: str | None = None,
) -> Shipment:
    """A draft shipment from a full request, or from an option of one of our quotes."""
    if (request is None) == (quote_option_id is None):
        raise InvalidInput("send either a shipment body or a quote_option_id", field="body")
    with uow:
        if quote_option_id is not None:
            quote = uow.quotes.get_by_option(account_id, quote_option_id)
            if quote is None:
                raise NotFound("no quote option with this id", field="quote_option_id")
            option = next(o for o in quote.options if o.id == quote_option_id)
            shipment = replace(
                new_draft(account_id, quote.request, now),
                quote_option_id=option.id,
                option=option,
                origin_hub=quote.origin_hub,
            )
        else:
            assert request is not None
            shipment = new_draft(account_id, request, now)
        uow.shipments.add(shipment)
        uow.commit()
    return shipment


def get_shipment(uow: MerchantUnitOfWork, account_id: str, shipment_id: str) -> Shipment:
    """One shipment of the account; another account's id is not found, like a missing one."""
    with uow:
        shipment = uow.shipments.get(account_id, shipment_id)
    if shipment is None:
        raise NotFound("no shipment with this id", field="shipment_id")
    return shipment


@dataclass(frozen=True, slots=True)
class ShipmentPage:
    shipments: list[Shipment]
    next_after: tuple[datetime, str] | None


def list_shipments(
    uow: MerchantUnitOfWork,
    account_id: str,
    *,
    status: ShipmentStatus | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    after: tuple[datetime, str] | None = None,
    limit: int = 50,
    tracking_number: str | None = None,
    reference: str | None = None,
) -> ShipmentPage:
    """A page of the account's shipments, newest first, with the cursor of the next page."""
    if tracking_number is not None:
        tracking_number = validate_s10(tracking_number)
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"must be between 1 and {MAX_PAGE}", field="limit")
    with uow:
        rows = uow.shipments.list(
            account_id,
            status=status,
            created_from=created_from,
            created_to=created_to,
            after=after,
            limit=limit + 1,
            tracking_number=tracking_number,
            reference=(reference or "").strip() or None,
        )
    page = rows[:limit]
    more = len(rows) > limit
    return ShipmentPage(page, (page[-1].created_at, page[-1].id) if more and page else None)


def cancel_shipment(
    uow: MerchantUnitOfWork, account_id: str, shipment_id: str, now: datetime
) -> Shipment:
    """Cancel until handover; afterwards Conflict says why not.

    The status read is compared and set in one write: a booking or scan that lands in
    between makes this cancel lose with 409, rather than both being told they won.
    """
    with uow:
        shipment = uow.shipments.get(account_id, shipment_id)
        if shipment is None:
            raise NotFound("no shipment with this id", field="shipment_id")
        cancelled = cancel(shipment, now)
        found = uow.shipments.claim(
            account_id, shipment_id, shipment.status, ShipmentStatus.CANCELLED, now
        )
        if found is not None:
            raise Conflict(
                f"the shipment became {found.value} while cancelling; read it again",
                field="status",
            )
        uow.shipments.update(cancelled)
        uow.commit()
    return cancelled


@dataclass(frozen=True, slots=True)
class BookCommand:
    account_id: str
    shipment_id: str
    now: datetime
    quote_option_id: str | None = None
    service_level: ServiceLevel | None = None


def _chosen_option(
    uow: MerchantUnitOfWork,
    planner: AbstractRoutePlanner,
    customs: AbstractCustomsEngine,
    card: RateCard,
    shipment: Shipment,
    command: BookCommand,
) -> tuple[str, QuoteOption]:
    option_id = command.quote_option_id or shipment.quote_option_id
    if option_id is not None:
        with uow:
            quote = uow.quotes.get_by_option(command.account_id, option_id)
        if quote is None:
            raise NotFound("no quote option with this id", field="quote_option_id")
        if quote.request != shipment.request:
            raise InvalidInput(
                "this option was quoted for a different shipment", field="quote_option_id"
            )
        if quote.expires_at > command.now:
            return quote.origin_hub, next(o for o in quote.options if o.id == option_id)
        if command.quote_option_id is not None:
            raise Conflict(
                f"the quote expired at {quote.expires_at.isoformat()}; ask for a new quote "
                "or book with a service_level",
                field="quote_option_id",
            )
    origin, _ready, options = price_options(planner, customs, card, shipment.request, command.now)
    wanted = command.service_level or (shipment.option.service_level if shipment.option else None)
    if wanted is None:
        return origin, default_option(options)
    for option in options:
        if option.service_level is wanted:
            return origin, option
    offered = ", ".join(o.service_level.value for o in options)
    raise InvalidInput(
        f"{wanted.value} is not offered on this lane now; offered: {offered}",
        field="service_level",
    )


def book_shipment(
    uow: MerchantUnitOfWork,
    planner: AbstractRoutePlanner,
    customs: AbstractCustomsEngine,
    labels: AbstractLabelRenderer,
    card: RateCard,
    indicators: Mapping[ServiceLevel, str],
    command: BookCommand,
) -> Shipment:
    """Book a draft: S10 number, label and customs records, in one transaction.

    Pricing and customs read what they need first, each in its own short session; then
    one transaction claims the draft (compare-and-set on its status), so of concurrent
    bookings exactly one allocates a number, charges the buyer's CBEC usage and writes
    `shipment.booked`; the others roll back and get 409 with the status they found.
    """
    shipment = get_shipment(uow, command.account_id, command.shipment_id)
    if shipment.status is not ShipmentStatus.DRAFT:
        raise _not_a_draft(shipment.status)
    origin, option = _chosen_option(uow, planner, customs, card, shipment, command)
    country = planner.hub_country(origin)
    on = (shipment.request.ready_at or command.now).date()
    prepared = customs.prepare_booking(shipment.request, option, on)
    with uow:
        found = uow.shipments.claim(
            command.account_id,
            command.shipment_id,
            ShipmentStatus.DRAFT,
            ShipmentStatus.BOOKED,
            command.now,
        )
        if found is not None:
            raise _not_a_draft(found)
        _charge_cbec(uow, prepared.cbec, command.now)
        serial = uow.serials.next_serial(indicators[option.service_level], country)
        tracking = make_s10(indicators[option.service_level], serial, country)
        booked = book(shipment, option, origin, tracking, prepared.records(tracking), command.now)
        pdf = labels.render(booked, sort_code(booked))
        uow.shipments.update(booked, label_pdf=pdf)
        _after_booking(uow, booked)
        uow.commit()
    return booked


def _not_a_draft(status: ShipmentStatus) -> Conflict:
    return Conflict(
        f"only a draft shipment can be booked; this one is {status.value}", field="status"
    )


def _charge_cbec(uow: MerchantUnitOfWork, charge: CbecCharge | None, now: datetime) -> None:
    """Add a China-bound booking to its buyer's annual CBEC usage, or refuse it (rolling the
    booking back) when bookings that committed since the quote used up the limit."""
    if charge is None:
        return
    total = uow.cbec_usage.charge(charge.buyer_id, charge.year, charge.amount_cny, now)
    over = annual_limit_problem(total - charge.amount_cny, charge.amount_cny,
                                charge.annual_limit_cny)  # fmt: skip
    if over is not None:
        raise InvalidInput(f"these goods cannot be shipped: {over.message}", field="parcels")


def _after_booking(uow: MerchantUnitOfWork, shipment: Shipment) -> None:
    """The `shipment.booked` webhook event, committed with the booking or not at all."""
    option = shipment.option
    assert option is not None
    assert shipment.booked_at is not None
    uow.outbox.add(
        account_id=shipment.account_id,
        event_type="shipment.booked",
        shipment_id=shipment.id,
        payload={
            "shipment_id": shipment.id,
            "tracking_number": shipment.tracking_number,
            "reference": shipment.request.reference,
            "status": shipment.status.value,
            "service_level": option.service_level.value,
            "origin_hub": shipment.origin_hub,
            "destination_country": shipment.destination_country,
            "delivered_by": option.delivered_by.isoformat(),
            "promise_met": option.promise_met,
            "price": {
                "total": f"{option.price.total:.2f}",
                "currency": option.price.currency,
            },
        },
        occurred_at=shipment.booked_at,
    )


def _not_void(shipment: Shipment) -> Shipment:
    """The shipment, unless it was cancelled: then its label and customs records are void."""
    if shipment.status is ShipmentStatus.CANCELLED:
        raise ShipmentCancelled(
            "the shipment was cancelled: its label and customs records are void", field="status"
        )
    return shipment


def get_label(uow: MerchantUnitOfWork, account_id: str, shipment_id: str) -> bytes:
    """The PDF label of a booked shipment."""
    shipment = _not_void(get_shipment(uow, account_id, shipment_id))
    with uow:
        pdf = uow.shipments.label(account_id, shipment_id)
    if pdf is None:
        raise Conflict(
            f"a {shipment.status.value} shipment has no label; book it first", field="status"
        )
    return pdf


def get_customs(uow: MerchantUnitOfWork, account_id: str, shipment_id: str) -> dict[str, Any]:
    """The customs declaration records of a booked shipment."""
    shipment = _not_void(get_shipment(uow, account_id, shipment_id))
    if shipment.customs is None:
        raise Conflict(
            f"a {shipment.status.value} shipment has no customs records; book it first",
            field="status",
        )
    return shipment.customs

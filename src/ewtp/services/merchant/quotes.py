"""Use case: quote a shipment: timetable options, rate-card price, duties and taxes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.domain.merchant.pricing import RateCard, money
from ewtp.domain.merchant.quotes import (
    Notice,
    Quote,
    QuoteOption,
    Taxes,
    assign_levels,
    build_price,
)
from ewtp.domain.merchant.shipments import ShipmentRequest, chargeable_weight, validate_request
from ewtp.services.merchant.ids import new_id
from ewtp.services.merchant.ports import (
    AbstractCustomsEngine,
    AbstractRoutePlanner,
    MerchantUnitOfWork,
)

__all__ = ["QuoteCommand", "build_quote", "get_quote", "price_options", "quote_shipment"]

BATTERY = "battery"


@dataclass(frozen=True, slots=True)
class QuoteCommand:
    account_id: str
    request: ShipmentRequest
    now: datetime


def price_options(
    planner: AbstractRoutePlanner,
    customs: AbstractCustomsEngine,
    card: RateCard,
    request: ShipmentRequest,
    now: datetime,
) -> tuple[str, datetime, tuple[QuoteOption, ...]]:
    """Origin hub, ready time and the priced options; nothing is stored."""
    request = validate_request(request)
    origin = request.origin_hub or planner.origin_hub_for_country(request.sender.country)
    ready = request.ready_at or now
    on = ready.date()
    card.check_parcels(request.parcels, on)
    destination = request.recipient.country
    card.zone_of(destination, on)  # refuse undeliverable countries before routing
    routes = planner.plan(origin, destination, ready)
    levels = assign_levels(routes)
    if not levels:
        raise InvalidInput(
            f"no scheduled route from {origin} to {destination} for this ready time",
            field="recipient.country",
        )
    divisor = card.parameter("volumetric_divisor_cm3_per_kg", on)
    chargeable = chargeable_weight(request.parcels, divisor)
    surcharges = (BATTERY,) if request.has_battery else ()
    options = []
    quote_taxes = customs.quote_taxes(request, on)
    taxes_by_transport: dict[Decimal, Taxes] = {}
    for level, route in levels:
        transport = card.transport_price(level, destination, chargeable, surcharges, on)
        taxes = taxes_by_transport.get(transport.amount)
        if taxes is None:
            taxes = quote_taxes(transport.amount, transport.currency)
            taxes_by_transport[transport.amount] = taxes
        price = build_price(request, transport.amount, transport.currency, taxes)
        options.append(
            QuoteOption(
                id=new_id(),
                service_level=level,
                delivered_by=route.delivered_utc,
                promise_met=route.promise_met,
                legs=route.legs,
                co2_kg=money(route.co2_kg_per_kg * chargeable),
                price=price,
                chargeable_kg=chargeable,
                warnings=taxes.warnings + _promise_notice(route.promise_met),
            )
        )
    return origin, ready, tuple(options)


def _promise_notice(met: bool) -> tuple[Notice, ...]:
    if met:
        return ()
    return (Notice("promise_not_met", "this option delivers after the 72-hour promise"),)


def build_quote(
    planner: AbstractRoutePlanner,
    customs: AbstractCustomsEngine,
    card: RateCard,
    command: QuoteCommand,
) -> Quote:
    """Price every service level for the request; the caller stores the quote."""
    origin, ready, options = price_options(planner, customs, card, command.request, command.now)
    validity = card.parameter("quote_validity_minutes", ready.date())
    return Quote(
        id=new_id(),
        account_id=command.account_id,
        request=command.request,
        origin_hub=origin,
        ready_at=ready,
        created_at=command.now,
        expires_at=command.now + timedelta(minutes=float(validity)),
        options=options,
    )


def quote_shipment(
    uow: MerchantUnitOfWork,
    planner: AbstractRoutePlanner,
    customs: AbstractCustomsEngine,
    card: RateCard,
    command: QuoteCommand,
) -> Quote:
    """Price every service level for the request and keep the quote until it expires."""
    quote = build_quote(planner, customs, card, command)
    with uow:
        uow.quotes.add(quote)
        uow.commit()
    return quote


def get_quote(uow: MerchantUnitOfWork, account_id: str, quote_id: str) -> Quote:
    """One of the account's quotes (another account's id is simply not found)."""
    with uow:
        quote = uow.quotes.get(account_id, quote_id)
    if quote is None:
        raise NotFound("no quote with this id", field="quote_id")
    return quote

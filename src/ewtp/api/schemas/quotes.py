"""Quote responses (`/v1/quotes`), and the legs and prices shipments show too."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from ewtp.api.schemas.examples import QUOTE_EXAMPLES
from ewtp.api.schemas.warnings import WarningPublic, warnings_public
from ewtp.domain.merchant.quotes import Price, Quote, QuoteOption, RouteLeg
from ewtp.domain.merchant.shipments import ServiceLevel

__all__ = [
    "Money",
    "PricePublic",
    "QuoteLegPublic",
    "QuoteOptionPublic",
    "QuotePublic",
    "leg_public",
    "price_public",
    "quote_public",
]

Money = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", examples=["12.30"])]


class QuoteLegPublic(BaseModel):
    service_id: str
    mode: str
    origin: str
    destination: str
    departure_utc: datetime
    arrival_utc: datetime


class PricePublic(BaseModel):
    transport: Money
    duty: Money
    vat: Money
    consumption_tax: Money
    fees: Money
    total: Money
    currency: str


class QuoteOptionPublic(BaseModel):
    id: str
    service_level: ServiceLevel
    delivered_by: datetime
    promise_met: bool
    legs: list[QuoteLegPublic]
    co2_kg: str
    chargeable_weight_kg: str
    price: PricePublic
    warnings: list[WarningPublic] = Field(
        default=[], description="Customs screening flags, e.g. battery_section_ii (mark required)."
    )


class QuotePublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": QUOTE_EXAMPLES})

    id: str
    origin_hub: str
    ready_at: datetime
    expires_at: datetime
    options: list[QuoteOptionPublic]


def leg_public(leg: RouteLeg) -> QuoteLegPublic:
    return QuoteLegPublic(
        service_id=leg.service_id,
        mode=leg.mode,
        origin=leg.origin,
        destination=leg.destination,
        departure_utc=leg.departure_utc,
        arrival_utc=leg.arrival_utc,
    )


def price_public(p: Price) -> PricePublic:
    return PricePublic(
        transport=f"{p.transport:.2f}",
        duty=f"{p.duty:.2f}",
        vat=f"{p.vat:.2f}",
        consumption_tax=f"{p.consumption_tax:.2f}",
        fees=f"{p.fees:.2f}",
        total=f"{p.total:.2f}",
        currency=p.currency,
    )


def _option(o: QuoteOption) -> QuoteOptionPublic:
    return QuoteOptionPublic(
        id=o.id,
        service_level=o.service_level,
        delivered_by=o.delivered_by,
        promise_met=o.promise_met,
        legs=[leg_public(leg) for leg in o.legs],
        co2_kg=f"{o.co2_kg:.2f}",
        chargeable_weight_kg=f"{o.chargeable_kg:.3f}",
        warnings=warnings_public(o.warnings),
        price=price_public(o.price),
    )


def quote_public(q: Quote) -> QuotePublic:
    return QuotePublic(
        id=q.id,
        origin_hub=q.origin_hub,
        ready_at=q.ready_at,
        expires_at=q.expires_at,
        options=[_option(o) for o in q.options],
    )

"""Shipment requests and responses (`/v1/shipments`), and their mapping from the domain."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from ewtp.api.schemas.examples import (
    BOOK_EXAMPLES,
    CUSTOMS_RECORDS_EXAMPLES,
    SHIPMENT_EXAMPLES,
    SHIPMENT_FROM_QUOTE_EXAMPLES,
    SHIPMENTS_EXAMPLES,
)
from ewtp.api.schemas.quotes import PricePublic, QuoteLegPublic, leg_public, price_public
from ewtp.api.schemas.warnings import WarningPublic, warnings_public
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.shipments import Address, Incoterm, ServiceLevel

__all__ = [
    "BookCreate",
    "CustomsPublic",
    "ShipmentFromQuote",
    "ShipmentPublic",
    "ShipmentsPublic",
    "shipment_public",
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ShipmentFromQuote(_In):
    """Create a shipment from an option of an earlier quote."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": SHIPMENT_FROM_QUOTE_EXAMPLES},
    )

    quote_option_id: Annotated[str, Field(min_length=1, max_length=36)]


class BookCreate(_In):
    """Which option to book: an option id, or a service level to price now. With neither,
    the cheapest option that keeps the 72-hour promise, else the fastest."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": BOOK_EXAMPLES})

    quote_option_id: Annotated[str, Field(min_length=1, max_length=36)] | None = None
    service_level: ServiceLevel | None = None


class PartyPublic(BaseModel):
    """A sender or recipient as stored on the shipment (contact details are not echoed)."""

    name: str
    lines: list[str]
    city: str
    postal_code: str
    country: str


class ShipmentPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": SHIPMENT_EXAMPLES})

    id: str
    status: ShipmentStatus
    tracking_number: str | None
    reference: str | None
    incoterm: Incoterm
    origin_hub: str | None
    destination_country: str
    service_level: ServiceLevel | None
    quote_option_id: str | None
    delivered_by: datetime | None
    promise_met: bool | None
    legs: list[QuoteLegPublic]
    price: PricePublic | None
    sender: PartyPublic
    recipient: PartyPublic
    created_at: datetime
    updated_at: datetime
    booked_at: datetime | None
    cancelled_at: datetime | None
    warnings: list[WarningPublic] = Field(
        default=[], description="Customs screening flags of the booked or quoted option."
    )


class ShipmentsPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": SHIPMENTS_EXAMPLES})

    data: list[ShipmentPublic]
    count: int
    next_cursor: str | None = Field(
        description="Pass as ?cursor= to get the next page; null on the last page."
    )


class CustomsPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": CUSTOMS_RECORDS_EXAMPLES})

    shipment_id: str
    tracking_number: str
    records: dict[str, Any]


def _party(a: Address) -> PartyPublic:
    return PartyPublic(
        name=a.name, lines=list(a.lines), city=a.city, postal_code=a.postal_code, country=a.country
    )


def shipment_public(s: Shipment) -> ShipmentPublic:
    o = s.option
    return ShipmentPublic(
        id=s.id,
        status=s.status,
        tracking_number=s.tracking_number,
        reference=s.request.reference,
        incoterm=s.request.incoterm,
        origin_hub=s.origin_hub,
        destination_country=s.destination_country,
        service_level=o.service_level if o else None,
        quote_option_id=s.quote_option_id,
        delivered_by=o.delivered_by if o else None,
        promise_met=o.promise_met if o else None,
        legs=[leg_public(leg) for leg in o.legs] if o else [],
        price=price_public(o.price) if o else None,
        sender=_party(s.request.sender),
        recipient=_party(s.request.recipient),
        created_at=s.created_at,
        updated_at=s.updated_at,
        booked_at=s.booked_at,
        cancelled_at=s.cancelled_at,
        warnings=warnings_public(s.option.warnings) if s.option else [],
    )

"""Request and response schemas of the merchant API, and their mapping to the domain."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.csv_import import RowError
from ewtp.domain.merchant.quotes import Price, Quote, QuoteOption, RouteLeg
from ewtp.domain.merchant.shipments import (
    Address,
    Battery,
    Incoterm,
    Item,
    Parcel,
    ServiceLevel,
    ShipmentRequest,
)

__all__ = [
    "AddressIn",
    "BookCreate",
    "BulkPublic",
    "CustomsPublic",
    "PricePublic",
    "QuoteCreate",
    "QuotePublic",
    "ShipmentFromQuote",
    "ShipmentPublic",
    "ShipmentsPublic",
    "quote_public",
    "row_errors",
    "shipment_public",
]

Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["FR"])]
Text = Annotated[str, Field(min_length=1, max_length=200)]
Money = Annotated[str, Field(pattern=r"^-?\d+\.\d{2}$", examples=["12.30"])]
Measure = Annotated[Decimal, Field(gt=0, le=10_000, max_digits=12, decimal_places=3)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AddressIn(_In):
    name: Text
    lines: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=4
    )
    city: Text
    postal_code: Annotated[str, Field(min_length=1, max_length=20)]
    country: Country
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=200, pattern=r"^[^@\s]+@[^@\s]+$")] | None = None

    def to_domain(self) -> Address:
        return Address(
            self.name,
            tuple(self.lines),
            self.city,
            self.postal_code,
            self.country,
            self.phone,
            self.email,
        )


class BatteryIn(_In):
    un_number: Annotated[str, Field(pattern=r"^UN\d{4}$", examples=["UN3481"])]
    watt_hours: Annotated[Decimal, Field(ge=0, le=100_000, max_digits=12)] | None = None
    lithium_grams: Annotated[Decimal, Field(ge=0, le=100_000, max_digits=12)] | None = None


class ItemIn(_In):
    description: Text
    hs_code: Annotated[str, Field(pattern=r"^\d{6,10}$", examples=["610910"])]
    quantity: int = Field(ge=1, le=10_000)
    unit_value: Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=14, decimal_places=2)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["EUR"])]
    origin_country: Country
    battery: BatteryIn | None = None

    def to_domain(self) -> Item:
        b = self.battery
        return Item(
            self.description,
            self.hs_code,
            self.quantity,
            self.unit_value,
            self.currency,
            self.origin_country,
            None if b is None else Battery(b.un_number, b.watt_hours, b.lithium_grams),
        )


class ParcelIn(_In):
    weight_kg: Measure
    length_cm: Measure
    width_cm: Measure
    height_cm: Measure
    items: list[ItemIn] = Field(min_length=1, max_length=100)


EXAMPLE_REQUEST: dict[str, Any] = {
    "sender": {
        "name": "Hangzhou Gadgets Co",
        "lines": ["88 Wensan Road"],
        "city": "Hangzhou",
        "postal_code": "310000",
        "country": "CN",
        "phone": "+86 571 0000 0000",
        "email": "shop@example.cn",
    },
    "recipient": {
        "name": "Marie Dupont",
        "lines": ["12 rue de Rivoli"],
        "city": "Paris",
        "postal_code": "75001",
        "country": "FR",
        "email": "marie@example.com",
    },
    "parcels": [
        {
            "weight_kg": "0.8",
            "length_cm": "30",
            "width_cm": "20",
            "height_cm": "10",
            "items": [
                {
                    "description": "Cotton T-shirt",
                    "hs_code": "610910",
                    "quantity": 2,
                    "unit_value": "12.50",
                    "currency": "EUR",
                    "origin_country": "CN",
                }
            ],
        }
    ],
    "incoterm": "DDP",
}


class QuoteCreate(_In):
    """A shipment to quote (the same body creates a shipment)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [EXAMPLE_REQUEST]})

    sender: AddressIn
    recipient: AddressIn
    parcels: list[ParcelIn] = Field(min_length=1, max_length=50)
    incoterm: Incoterm
    seller_ioss: Annotated[str, Field(pattern=r"^IM\d{10}$")] | None = None
    ready_at: AwareDatetime | None = None
    origin_hub: Annotated[str, Field(pattern=r"^[A-Z0-9]{3,8}$", examples=["HGH"])] | None = None
    reference: Annotated[str, Field(max_length=100)] | None = None

    def to_domain(self) -> ShipmentRequest:
        return ShipmentRequest(
            sender=self.sender.to_domain(),
            recipient=self.recipient.to_domain(),
            parcels=tuple(
                Parcel(
                    p.weight_kg,
                    p.length_cm,
                    p.width_cm,
                    p.height_cm,
                    tuple(i.to_domain() for i in p.items),
                )
                for p in self.parcels
            ),
            incoterm=self.incoterm,
            seller_ioss=self.seller_ioss,
            ready_at=self.ready_at,
            origin_hub=self.origin_hub,
            reference=self.reference,
        )


class ShipmentFromQuote(_In):
    """Create a shipment from an option of an earlier quote."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"quote_option_id": "6f1c2b8e-0000-4000-8000-000000000000"}]
        },
    )

    quote_option_id: Annotated[str, Field(min_length=1, max_length=36)]


class BookCreate(_In):
    """Which option to book: an option id, or a service level to price now (default standard)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"service_level": "standard"}]}
    )

    quote_option_id: Annotated[str, Field(min_length=1, max_length=36)] | None = None
    service_level: ServiceLevel | None = None


class LegPublic(BaseModel):
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
    legs: list[LegPublic]
    co2_kg: str
    chargeable_weight_kg: str
    price: PricePublic


class QuotePublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "0b6f5a4e-0000-4000-8000-000000000000",
                    "expires_at": "2026-11-22T10:30:00Z",
                    "options": [
                        {
                            "id": "6f1c2b8e-0000-4000-8000-000000000000",
                            "service_level": "express",
                            "delivered_by": "2026-11-24T18:00:00Z",
                            "promise_met": True,
                            "legs": [
                                {
                                    "service_id": "CK-HGH-LGG",
                                    "mode": "air",
                                    "origin": "HGH",
                                    "destination": "LGG",
                                    "departure_utc": "2026-11-22T14:00:00Z",
                                    "arrival_utc": "2026-11-23T02:00:00Z",
                                }
                            ],
                            "co2_kg": "4.20",
                            "chargeable_weight_kg": "1.200",
                            "price": {
                                "transport": "21.80",
                                "duty": "3.00",
                                "vat": "5.64",
                                "consumption_tax": "0.00",
                                "fees": "0.00",
                                "total": "30.44",
                                "currency": "EUR",
                            },
                        }
                    ],
                }
            ]
        }
    )

    id: str
    origin_hub: str
    ready_at: datetime
    expires_at: datetime
    options: list[QuoteOptionPublic]


_PARTY_EXAMPLE = {
    "name": "Marie Dupont",
    "lines": ["12 rue de Rivoli"],
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}
SHIPMENT_EXAMPLE: dict[str, Any] = {
    "id": "c3300368-0000-4000-8000-000000000000",
    "status": "booked",
    "tracking_number": "EE000000014CN",
    "reference": "ORDER-1001",
    "incoterm": "DDP",
    "origin_hub": "HGH",
    "destination_country": "FR",
    "service_level": "express",
    "quote_option_id": "6f1c2b8e-0000-4000-8000-000000000000",
    "delivered_by": "2026-11-24T16:55:00Z",
    "promise_met": True,
    "legs": [
        {
            "service_id": "AIR-HGH-LGG-1",
            "mode": "air",
            "origin": "HGH",
            "destination": "LGG",
            "departure_utc": "2026-11-22T18:00:00Z",
            "arrival_utc": "2026-11-23T05:15:00Z",
        }
    ],
    "price": {
        "transport": "20.41",
        "duty": "3.00",
        "vat": "10.08",
        "consumption_tax": "0.00",
        "fees": "2.00",
        "total": "35.49",
        "currency": "EUR",
    },
    "sender": {**_PARTY_EXAMPLE, "name": "Hangzhou Gadgets Co", "country": "CN"},
    "recipient": _PARTY_EXAMPLE,
    "created_at": "2026-11-22T04:54:17Z",
    "updated_at": "2026-11-22T04:55:02Z",
    "booked_at": "2026-11-22T04:55:02Z",
    "cancelled_at": None,
}


class ShipmentPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SHIPMENT_EXAMPLE]})

    id: str
    status: str
    tracking_number: str | None
    reference: str | None
    incoterm: Incoterm
    origin_hub: str | None
    destination_country: str
    service_level: ServiceLevel | None
    quote_option_id: str | None
    delivered_by: datetime | None
    promise_met: bool | None
    legs: list[LegPublic]
    price: PricePublic | None
    sender: dict[str, Any]
    recipient: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    booked_at: datetime | None
    cancelled_at: datetime | None


class ShipmentsPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"data": [SHIPMENT_EXAMPLE], "count": 1, "next_cursor": None}]
        }
    )

    data: list[ShipmentPublic]
    count: int
    next_cursor: str | None = Field(
        description="Pass as ?cursor= to get the next page; null on the last page."
    )


class RowErrorPublic(BaseModel):
    row: int
    field: str
    message: str


class BulkPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "created": 1,
                    "shipments": [{**SHIPMENT_EXAMPLE, "status": "draft"}],
                    "errors": [{"row": 2, "field": "hs_code", "message": "must be 6 to 10 digits"}],
                }
            ]
        }
    )

    created: int
    shipments: list[ShipmentPublic]
    errors: list[RowErrorPublic]


class CustomsPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "shipment_id": "c3300368-0000-4000-8000-000000000000",
                    "tracking_number": "EE000000014CN",
                    "records": {
                        "declaration_type": "H7",
                        "assessment": {"currency": "EUR", "duty": "3.00", "vat": "10.08"},
                        "declarations": {"declaration_type": "H7", "declaration": {}, "placi": {}},
                    },
                }
            ]
        }
    )

    shipment_id: str
    tracking_number: str
    records: dict[str, Any]


def _leg(leg: RouteLeg) -> LegPublic:
    return LegPublic(
        service_id=leg.service_id,
        mode=leg.mode,
        origin=leg.origin,
        destination=leg.destination,
        departure_utc=leg.departure_utc,
        arrival_utc=leg.arrival_utc,
    )


def _price(p: Price) -> PricePublic:
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
        legs=[_leg(leg) for leg in o.legs],
        co2_kg=f"{o.co2_kg:.2f}",
        chargeable_weight_kg=f"{o.chargeable_kg:.3f}",
        price=_price(o.price),
    )


def quote_public(q: Quote) -> QuotePublic:
    return QuotePublic(
        id=q.id,
        origin_hub=q.origin_hub,
        ready_at=q.ready_at,
        expires_at=q.expires_at,
        options=[_option(o) for o in q.options],
    )


def _party(a: Address) -> dict[str, Any]:
    return {
        "name": a.name,
        "lines": list(a.lines),
        "city": a.city,
        "postal_code": a.postal_code,
        "country": a.country,
    }


def shipment_public(s: Shipment) -> ShipmentPublic:
    o = s.option
    return ShipmentPublic(
        id=s.id,
        status=s.status.value,
        tracking_number=s.tracking_number,
        reference=s.request.reference,
        incoterm=s.request.incoterm,
        origin_hub=s.origin_hub,
        destination_country=s.destination_country,
        service_level=o.service_level if o else None,
        quote_option_id=s.quote_option_id,
        delivered_by=o.delivered_by if o else None,
        promise_met=o.promise_met if o else None,
        legs=[_leg(leg) for leg in o.legs] if o else [],
        price=_price(o.price) if o else None,
        sender=_party(s.request.sender),
        recipient=_party(s.request.recipient),
        created_at=s.created_at,
        updated_at=s.updated_at,
        booked_at=s.booked_at,
        cancelled_at=s.cancelled_at,
    )


def row_errors(errors: list[RowError]) -> list[RowErrorPublic]:
    return [RowErrorPublic(row=e.row, field=e.field, message=e.message) for e in errors]

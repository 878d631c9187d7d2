"""The shipment request body (`POST /v1/quotes`, `POST /v1/shipments`) and its parts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, WithJsonSchema

from ewtp.api.schemas.examples import QUOTE_REQUEST_EXAMPLES
from ewtp.domain.merchant.shipments import (
    Address,
    Battery,
    Incoterm,
    Item,
    Parcel,
    ShipmentRequest,
)

__all__ = ["AddressIn", "BatteryIn", "Country", "ItemIn", "ParcelIn", "QuoteCreate", "Text"]

# Any case: "fr" is France; the domain checks the code against ISO 3166 and upper-cases it.
Country = Annotated[str, Field(pattern=r"^[A-Za-z]{2}$", examples=["FR"])]
Text = Annotated[str, Field(min_length=1, max_length=200)]
MONEY_PATTERN = r"^[0-9]{1,7}(\.[0-9]{1,2})?$"
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
    # Dots and spaces as tariffs print them ("6109.10", "6109 10") are normalised away.
    hs_code: Annotated[str, Field(pattern=r"^\d[\d. ]{4,14}\d$", examples=["610910"])]
    quantity: int = Field(ge=1, le=10_000)
    unit_value: Annotated[
        Decimal,
        Field(gt=0, le=1_000_000, max_digits=14, decimal_places=2),
        # Money is a decimal string in the document: a client never rounds through a float.
        WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN}, mode="validation"),
    ]
    currency: Annotated[str, Field(pattern=r"^[A-Za-z]{3}$", examples=["EUR"])]
    origin_country: Country
    battery: BatteryIn | None = None
    # Net content of one unit: needed where a consumption-tax condition is per ml, g,
    # piece or sheet (China, high-end cosmetics).
    net_quantity: Annotated[Decimal, Field(gt=0, le=1_000_000, max_digits=14)] | None = None
    net_unit: Literal["ml", "g", "piece", "sheet"] | None = None

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
            self.net_quantity,
            self.net_unit,
        )


class ParcelIn(_In):
    weight_kg: Measure
    length_cm: Measure
    width_cm: Measure
    height_cm: Measure
    items: list[ItemIn] = Field(min_length=1, max_length=100)


class QuoteCreate(_In):
    """A shipment to quote (the same body creates a shipment)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": QUOTE_REQUEST_EXAMPLES}
    )

    sender: AddressIn
    recipient: AddressIn
    parcels: list[ParcelIn] = Field(min_length=1, max_length=50)
    incoterm: Incoterm
    seller_ioss: Annotated[str, Field(pattern=r"^IM\d{10}$")] | None = None
    ready_at: AwareDatetime | None = None
    origin_hub: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{3,8}$", examples=["HGH"])] | None = None
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

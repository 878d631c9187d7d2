"""Shipment requests as merchants send them: addresses, parcels, items, incoterm.

Validation lives here so the API, the bulk CSV and the CLI refuse the same things with
the same field names. Air freight is charged on the chargeable weight, the greater of
the actual and the volumetric weight (L x W x H / 5000, cm and kg; IATA volumetric
divisor, see `data/pricing/parameters.csv`).
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import ROUND_CEILING, Decimal

from ewtp.domain.countries import is_country
from ewtp.domain.errors import InvalidInput

__all__ = [
    "Address",
    "Battery",
    "Incoterm",
    "Item",
    "Parcel",
    "ServiceLevel",
    "ShipmentRequest",
    "chargeable_weight",
    "validate_request",
]

COUNTRY = re.compile(r"^[A-Z]{2}$")
HS_CODE = re.compile(r"^\d{6,10}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
IOSS = re.compile(r"^IM\d{10}$")
HUB = re.compile(r"^[A-Z0-9]{3,8}$")
KG_STEP = Decimal("0.001")
CONTROL = frozenset({"Cc", "Cf", "Cs", "Co"})  # control, format, surrogate, private use


class Incoterm(enum.StrEnum):
    """DDP: the merchant pays duties and taxes (quoted). DAP: the buyer pays them on delivery."""

    DDP = "DDP"
    DAP = "DAP"


class ServiceLevel(enum.StrEnum):
    EXPRESS = "express"
    STANDARD = "standard"
    ECONOMY = "economy"


@dataclass(frozen=True, slots=True)
class Address:
    name: str
    lines: tuple[str, ...]
    city: str
    postal_code: str
    country: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Battery:
    un_number: str
    watt_hours: Decimal | None = None
    lithium_grams: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Item:
    description: str
    hs_code: str
    quantity: int
    unit_value: Decimal
    currency: str
    origin_country: str
    battery: Battery | None = None
    net_quantity: Decimal | None = None  # content of one unit (customs consumption tax)
    net_unit: str | None = None  # ml, g, piece or sheet


@dataclass(frozen=True, slots=True)
class Parcel:
    weight_kg: Decimal
    length_cm: Decimal
    width_cm: Decimal
    height_cm: Decimal
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class ShipmentRequest:
    """Everything needed to quote and book one shipment."""

    sender: Address
    recipient: Address
    parcels: tuple[Parcel, ...]
    incoterm: Incoterm
    seller_ioss: str | None = None
    ready_at: datetime | None = None
    origin_hub: str | None = None
    reference: str | None = None

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for parcel in self.parcels for item in parcel.items)

    @property
    def currency(self) -> str:
        return self.items[0].currency

    @property
    def has_battery(self) -> bool:
        return any(item.battery is not None for item in self.items)

    @property
    def actual_weight_kg(self) -> Decimal:
        return sum((p.weight_kg for p in self.parcels), Decimal(0))

    @property
    def goods_value(self) -> Decimal:
        return sum((i.unit_value * i.quantity for i in self.items), Decimal(0))


def chargeable_weight(parcels: tuple[Parcel, ...], divisor: Decimal) -> Decimal:
    """Sum over parcels of max(actual, L*W*H/divisor), rounded up to the gram."""
    total = Decimal(0)
    for parcel in parcels:
        volumetric = parcel.length_cm * parcel.width_cm * parcel.height_cm / divisor
        total += max(parcel.weight_kg, volumetric)
    return total.quantize(KG_STEP, rounding=ROUND_CEILING)


def _printable(value: str | None, field: str) -> None:
    """Refuse control characters (NUL, escape, line breaks...): labels, customs messages and
    terminals would print them, or break on them."""
    if value is not None and any(unicodedata.category(ch) in CONTROL for ch in value):
        raise InvalidInput("must not contain control characters", field=field)


def _country(code: str, field: str) -> None:
    if not COUNTRY.match(code) or not is_country(code):
        raise InvalidInput(f"{code!r} is not an ISO 3166-1 alpha-2 country code", field=field)


def _address(address: Address, field: str) -> None:
    for name in ("name", "city", "postal_code", "phone", "email"):
        _printable(getattr(address, name), f"{field}.{name}")
    for n, line in enumerate(address.lines):
        _printable(line, f"{field}.lines[{n}]")
    for name in ("name", "city", "postal_code"):
        if not getattr(address, name).strip():
            raise InvalidInput("must not be empty", field=f"{field}.{name}")
    if not address.lines or not address.lines[0].strip():
        raise InvalidInput("needs at least one address line", field=f"{field}.lines")
    _country(address.country, f"{field}.country")
    if address.email is not None and "@" not in address.email:
        raise InvalidInput("must be an e-mail address", field=f"{field}.email")


def _item(item: Item, field: str) -> None:
    _printable(item.description, f"{field}.description")
    if not item.description.strip():
        raise InvalidInput("must not be empty", field=f"{field}.description")
    if not HS_CODE.match(item.hs_code):
        raise InvalidInput("must be 6 to 10 digits", field=f"{field}.hs_code")
    if item.quantity < 1:
        raise InvalidInput("must be at least 1", field=f"{field}.quantity")
    if item.unit_value <= 0:
        raise InvalidInput("must be positive", field=f"{field}.unit_value")
    if not CURRENCY.match(item.currency):
        raise InvalidInput("must be an ISO 4217 code", field=f"{field}.currency")
    _country(item.origin_country, f"{field}.origin_country")
    if item.battery is not None and not re.fullmatch(r"UN\d{4}", item.battery.un_number):
        raise InvalidInput("must look like UN3481", field=f"{field}.battery.un_number")


def _upper_countries(request: ShipmentRequest) -> ShipmentRequest:
    """Country and currency codes in upper case ("fr" and "FR" are the same country), HS
    codes without the dots and spaces tariffs print them with ("6109.10" is 610910)."""
    parcels = tuple(
        replace(
            p,
            items=tuple(
                replace(
                    i,
                    origin_country=i.origin_country.upper(),
                    currency=i.currency.upper(),
                    hs_code=i.hs_code.replace(".", "").replace(" ", ""),
                )
                for i in p.items
            ),
        )
        for p in request.parcels
    )
    return replace(
        request,
        sender=replace(request.sender, country=request.sender.country.upper()),
        recipient=replace(request.recipient, country=request.recipient.country.upper()),
        parcels=parcels,
        origin_hub=request.origin_hub.upper() if request.origin_hub else None,
    )


def validate_request(request: ShipmentRequest) -> ShipmentRequest:
    """The request with its codes in upper case, or InvalidInput naming the first bad field
    by its full JSON path (`parcels[0].items[1].hs_code`)."""
    request = _upper_countries(request)
    _printable(request.reference, "reference")
    _address(request.sender, "sender")
    _address(request.recipient, "recipient")
    if request.sender.country == request.recipient.country:
        raise InvalidInput("must differ from the sender's country", field="recipient.country")
    if not request.parcels:
        raise InvalidInput("needs at least one parcel", field="parcels")
    for p, parcel in enumerate(request.parcels):
        field = f"parcels[{p}]"
        for name in ("weight_kg", "length_cm", "width_cm", "height_cm"):
            if getattr(parcel, name) <= 0:
                raise InvalidInput("must be positive", field=f"{field}.{name}")
        if not parcel.items:
            raise InvalidInput("needs at least one item", field=f"{field}.items")
        for i, item in enumerate(parcel.items):
            _item(item, f"{field}.items[{i}]")
    first = request.items[0].currency
    for p, parcel in enumerate(request.parcels):
        for i, item in enumerate(parcel.items):
            if item.currency != first:
                raise InvalidInput(
                    f"all items must use one currency: {item.currency} after {first}",
                    field=f"parcels[{p}].items[{i}].currency",
                )
    if request.seller_ioss is not None and not IOSS.match(request.seller_ioss):
        raise InvalidInput("must be IM followed by 10 digits", field="seller_ioss")
    if request.ready_at is not None and request.ready_at.tzinfo is None:
        raise InvalidInput("must include a time zone", field="ready_at")
    if request.origin_hub is not None and not HUB.match(request.origin_hub):
        raise InvalidInput("must be a hub code such as HGH", field="origin_hub")
    return request

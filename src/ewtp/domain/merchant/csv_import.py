"""Bulk shipment rows: one CSV row is one shipment with one parcel and one item line.

The columns (also served as a template at GET /v1/shipments/bulk/template):

    reference, incoterm, seller_ioss, origin_hub, ready_at,
    sender_name, sender_line1, sender_line2, sender_city, sender_postal_code,
    sender_country, sender_phone, sender_email,
    recipient_* (the same eight),
    weight_kg, length_cm, width_cm, height_cm,
    item_description, hs_code, quantity, unit_value, currency, item_origin_country,
    battery_un_number, battery_watt_hours, battery_lithium_grams

Rows are numbered by their line in the file (the header is line 1), as everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.shipments import (
    Address,
    Battery,
    Incoterm,
    Item,
    Parcel,
    ShipmentRequest,
    validate_request,
)

__all__ = [
    "COLUMNS",
    "OPTIONAL",
    "RowError",
    "RowWarning",
    "check_header",
    "column_of",
    "parse_row",
]

_PARTY = ("name", "line1", "line2", "city", "postal_code", "country", "phone", "email")
COLUMNS: tuple[str, ...] = (
    "reference",
    "incoterm",
    "seller_ioss",
    "origin_hub",
    "ready_at",
    *(f"sender_{p}" for p in _PARTY),
    *(f"recipient_{p}" for p in _PARTY),
    "weight_kg",
    "length_cm",
    "width_cm",
    "height_cm",
    "item_description",
    "hs_code",
    "quantity",
    "unit_value",
    "currency",
    "item_origin_country",
    "battery_un_number",
    "battery_watt_hours",
    "battery_lithium_grams",
)
OPTIONAL = frozenset(
    {
        "reference",
        "seller_ioss",
        "origin_hub",
        "ready_at",
        "sender_line2",
        "sender_phone",
        "sender_email",
        "recipient_line2",
        "recipient_phone",
        "recipient_email",
        "battery_un_number",
        "battery_watt_hours",
        "battery_lithium_grams",
    }
)


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str
    message: str


@dataclass(frozen=True, slots=True)
class RowWarning:
    """A row that was created but carries a screening flag (e.g. `battery_section_ii`)."""

    row: int
    code: str
    message: str
    field: str | None = None


def check_header(header: list[str]) -> None:
    """Refuse a file whose header lacks a required column or has an unknown one."""
    missing = [c for c in COLUMNS if c not in OPTIONAL and c not in header]
    if missing:
        raise InvalidInput(f"missing required column(s): {', '.join(missing)}", field="file")
    unknown = [c for c in header if c not in COLUMNS]
    if unknown:
        raise InvalidInput(f"unknown column(s): {', '.join(unknown)}", field="file")


def _text(row: Mapping[str, str], name: str) -> str | None:
    value = (row.get(name) or "").strip()
    return value or None


def _required(row: Mapping[str, str], name: str) -> str:
    value = _text(row, name)
    if value is None:
        raise InvalidInput("is required", field=name)
    return value


def _decimal(row: Mapping[str, str], name: str, required: bool = True) -> Decimal | None:
    raw = _required(row, name) if required else _text(row, name)
    if raw is None:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise InvalidInput(f"{raw!r} is not a number", field=name) from None
    if not value.is_finite():
        raise InvalidInput(f"{raw!r} is not a number", field=name)
    return value


def _party(row: Mapping[str, str], prefix: str) -> Address:
    lines = tuple(v for v in (_text(row, f"{prefix}_line1"), _text(row, f"{prefix}_line2")) if v)
    return Address(
        name=_required(row, f"{prefix}_name"),
        lines=lines,
        city=_required(row, f"{prefix}_city"),
        postal_code=_required(row, f"{prefix}_postal_code"),
        country=_required(row, f"{prefix}_country").upper(),
        phone=_text(row, f"{prefix}_phone"),
        email=_text(row, f"{prefix}_email"),
    )


def _request(row: Mapping[str, str]) -> ShipmentRequest:
    incoterm_raw = _required(row, "incoterm").upper()
    if incoterm_raw not in Incoterm.__members__:
        raise InvalidInput("must be DDP or DAP", field="incoterm")
    quantity_raw = _required(row, "quantity")
    if not quantity_raw.isdigit():
        raise InvalidInput("must be a whole number", field="quantity")
    un = _text(row, "battery_un_number")
    battery = (
        Battery(
            un_number=un.upper(),
            watt_hours=_decimal(row, "battery_watt_hours", required=False),
            lithium_grams=_decimal(row, "battery_lithium_grams", required=False),
        )
        if un
        else None
    )
    item = Item(
        description=_required(row, "item_description"),
        hs_code=_required(row, "hs_code").replace(".", ""),
        quantity=int(quantity_raw),
        unit_value=_decimal(row, "unit_value") or Decimal(0),
        currency=_required(row, "currency").upper(),
        origin_country=_required(row, "item_origin_country").upper(),
        battery=battery,
    )
    parcel = Parcel(
        weight_kg=_decimal(row, "weight_kg") or Decimal(0),
        length_cm=_decimal(row, "length_cm") or Decimal(0),
        width_cm=_decimal(row, "width_cm") or Decimal(0),
        height_cm=_decimal(row, "height_cm") or Decimal(0),
        items=(item,),
    )
    ready_raw = _text(row, "ready_at")
    try:
        ready = datetime.fromisoformat(ready_raw) if ready_raw else None
    except ValueError:
        raise InvalidInput("must be an ISO 8601 date-time", field="ready_at") from None
    return ShipmentRequest(
        sender=_party(row, "sender"),
        recipient=_party(row, "recipient"),
        parcels=(parcel,),
        incoterm=Incoterm(incoterm_raw),
        seller_ioss=_text(row, "seller_ioss"),
        ready_at=ready,
        origin_hub=(_text(row, "origin_hub") or "").upper() or None,
        reference=_text(row, "reference"),
    )


_FIELD_TO_COLUMN = {
    "parcels[0].items[0].": "",
    "parcels[0].": "",
    "sender.lines[0]": "sender_line1",
    "sender.lines[1]": "sender_line2",
    "recipient.lines[0]": "recipient_line1",
    "recipient.lines[1]": "recipient_line2",
    "sender.lines": "sender_line1",
    "recipient.lines": "recipient_line1",
    "sender.": "sender_",
    "recipient.": "recipient_",
    "battery.": "battery_",
    "description": "item_description",
    "origin_country": "item_origin_country",
}


def column_of(field: str) -> str:
    """The CSV column of a request field path (`parcels[0].weight_kg` -> `weight_kg`)."""
    for old, new in _FIELD_TO_COLUMN.items():
        field = field.replace(old, new)
    return field


def parse_row(row: Mapping[str, str], number: int) -> ShipmentRequest | RowError:
    """The row as a validated request, or the first error with its CSV column name."""
    try:
        request = _request(row)
    except InvalidInput as exc:
        return RowError(row=number, field=exc.field or "row", message=exc.message)
    try:
        return validate_request(request)
    except InvalidInput as exc:
        return RowError(row=number, field=column_of(exc.field or "row"), message=exc.message)

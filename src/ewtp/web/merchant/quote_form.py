"""The quote form as flat HTML field names (`parcels[0].items[1].hs_code`) and back.

The names are the domain's own field paths, so an `InvalidInput(field=...)` from
`validate_request` lands next to the input it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

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

__all__ = ["ADDRESS_FIELDS", "QuoteForm", "blank_form", "parse_form"]

ADDRESS_FIELDS = ("name", "line1", "line2", "city", "postal_code", "country", "phone", "email")
PARCEL_FIELDS = ("weight_kg", "length_cm", "width_cm", "height_cm")
ITEM_FIELDS = (
    "description",
    "hs_code",
    "quantity",
    "unit_value",
    "currency",
    "origin_country",
    "battery",
    "watt_hours",
)
MAX_PARCELS = 10
MAX_ITEMS = 20
INDEX = re.compile(r"^parcels\[(\d+)\]\.(?:items\[(\d+)\]\.)?(\w+)$")


@dataclass
class QuoteForm:
    """The form's values as typed, ready to render again."""

    sender: dict[str, str]
    recipient: dict[str, str]
    parcels: list[dict[str, Any]]
    incoterm: str = "DDP"
    seller_ioss: str = ""
    reference: str = ""
    errors: dict[str, str] = field(default_factory=dict)


def _item(currency: str = "EUR", origin: str = "CN") -> dict[str, str]:
    return dict.fromkeys(ITEM_FIELDS, "") | {
        "quantity": "1",
        "currency": currency,
        "origin_country": origin,
    }


def _parcel() -> dict[str, Any]:
    return dict.fromkeys(PARCEL_FIELDS, "") | {"items": [_item()]}


def blank_form(sender: dict[str, Any] | None = None, ioss: str | None = None) -> QuoteForm:
    start = dict.fromkeys(ADDRESS_FIELDS, "") | {
        k: str(v) for k, v in (sender or {}).items() if k in ADDRESS_FIELDS
    }
    return QuoteForm(start, dict.fromkeys(ADDRESS_FIELDS, ""), [_parcel()], seller_ioss=ioss or "")


def read_form(data: dict[str, str]) -> QuoteForm:
    """The posted fields as a form; extra rows via `add_item` / `add_parcel` buttons."""
    form = QuoteForm(
        {k: data.get(f"sender.{k}", "").strip() for k in ADDRESS_FIELDS},
        {k: data.get(f"recipient.{k}", "").strip() for k in ADDRESS_FIELDS},
        [],
        incoterm=data.get("incoterm", "DDP"),
        seller_ioss=data.get("seller_ioss", "").strip(),
        reference=data.get("reference", "").strip(),
    )
    parcels: dict[int, dict[str, Any]] = {}
    for name, value in data.items():
        match = INDEX.match(name)
        if not match:
            continue
        p, i, key = int(match[1]), match[2], match[3]
        if p >= MAX_PARCELS:
            continue
        parcel = parcels.setdefault(p, {"items": {}})
        if i is None:
            parcel[key] = value.strip()
        elif int(i) < MAX_ITEMS:
            parcel["items"].setdefault(int(i), {})[key] = value.strip()
    for p in sorted(parcels):
        raw = parcels[p]
        items = [_item() | raw["items"][i] for i in sorted(raw["items"])] or [_item()]
        form.parcels.append({k: raw.get(k, "") for k in PARCEL_FIELDS} | {"items": items})
    if not form.parcels:
        form.parcels.append(_parcel())
    add_item = data.get("add_item")
    if add_item is not None and add_item.isdigit() and int(add_item) < len(form.parcels):
        items = form.parcels[int(add_item)]["items"]
        if len(items) < MAX_ITEMS:
            last = items[-1]
            items.append(_item(last.get("currency") or "EUR", last.get("origin_country") or "CN"))
    if "add_parcel" in data and len(form.parcels) < MAX_PARCELS:
        form.parcels.append(_parcel())
    return form


class _Numbers:
    """Reads the form's numbers, noting each bad one and carrying on with a stand-in, so
    the page can show every unreadable number and the domain's first complaint at once."""

    STAND_IN = Decimal(1)

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def decimal(self, raw: str, name: str) -> Decimal:
        try:
            value = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            self.errors[name] = "must be a number"
            return self.STAND_IN
        return value

    def whole(self, raw: str, name: str) -> int:
        if not raw.isdigit():
            self.errors[name] = "must be a whole number"
            return 1
        return int(raw)


def _address(values: dict[str, str]) -> Address:
    lines = tuple(line for line in (values["line1"], values["line2"]) if line)
    return Address(
        name=values["name"],
        lines=lines,
        city=values["city"],
        postal_code=values["postal_code"],
        country=values["country"].upper(),
        phone=values["phone"] or None,
        email=values["email"] or None,
    )


def parse_form(form: QuoteForm) -> ShipmentRequest:
    """The request the form describes; InvalidInput names the first bad form field.

    `form.errors` gets every unreadable number and the domain's first complaint.
    """
    numbers = _Numbers()
    parcels = []
    for p, raw in enumerate(form.parcels):
        items = []
        for i, it in enumerate(raw["items"]):
            at = f"parcels[{p}].items[{i}]"
            battery = None
            if it.get("battery"):
                watt_hours = it.get("watt_hours") or ""
                battery = Battery(
                    un_number=it["battery"],
                    watt_hours=numbers.decimal(watt_hours, f"{at}.watt_hours")
                    if watt_hours
                    else None,
                )
            items.append(
                Item(
                    description=it.get("description", ""),
                    hs_code=it.get("hs_code", "").replace(".", "").replace(" ", ""),
                    quantity=numbers.whole(it.get("quantity", ""), f"{at}.quantity"),
                    unit_value=numbers.decimal(it.get("unit_value", ""), f"{at}.unit_value"),
                    currency=it.get("currency", "").upper(),
                    origin_country=it.get("origin_country", "").upper(),
                    battery=battery,
                )
            )
        parcels.append(
            Parcel(
                weight_kg=numbers.decimal(raw.get("weight_kg", ""), f"parcels[{p}].weight_kg"),
                length_cm=numbers.decimal(raw.get("length_cm", ""), f"parcels[{p}].length_cm"),
                width_cm=numbers.decimal(raw.get("width_cm", ""), f"parcels[{p}].width_cm"),
                height_cm=numbers.decimal(raw.get("height_cm", ""), f"parcels[{p}].height_cm"),
                items=tuple(items),
            )
        )
    incoterm = Incoterm.DAP if form.incoterm == "DAP" else Incoterm.DDP
    request = ShipmentRequest(
        sender=_address(form.sender),
        recipient=_address(form.recipient),
        parcels=tuple(parcels),
        incoterm=incoterm,
        seller_ioss=form.seller_ioss.upper() or None,
        reference=form.reference or None,
    )
    errors = dict(numbers.errors)
    first: InvalidInput | None = None
    try:
        validate_request(request)
    except InvalidInput as exc:
        first = exc
        errors.setdefault(form_field(exc.field), exc.message)
    form.errors = errors
    if errors:
        if first is not None:
            raise first
        name, message = next(iter(errors.items()))
        raise InvalidInput(message, field=name)
    return request


def form_field(name: str | None) -> str:
    """The input an error belongs to (`sender.lines` is typed into `sender.line1`)."""
    if not name:
        return "form"
    if name.endswith(".lines"):
        return name[: -len("lines")] + "line1"
    return name

"""JSON columns <-> merchant domain objects. Money and weights stay exact as strings."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ewtp.domain.merchant.quotes import Notice, Price, QuoteOption, RouteLeg
from ewtp.domain.merchant.shipments import (
    Address,
    Battery,
    Incoterm,
    Item,
    Parcel,
    ServiceLevel,
    ShipmentRequest,
)

__all__ = ["option_from_json", "option_to_json", "request_from_json", "request_to_json"]


def _dec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _time(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _address_to(a: Address) -> dict[str, Any]:
    return {
        "name": a.name,
        "lines": list(a.lines),
        "city": a.city,
        "postal_code": a.postal_code,
        "country": a.country,
        "phone": a.phone,
        "email": a.email,
    }


def _address_from(d: dict[str, Any]) -> Address:
    return Address(**{**d, "lines": tuple(d["lines"])})


def _item_to(i: Item) -> dict[str, Any]:
    battery = i.battery
    out = _item_fields(i, battery)
    if i.net_quantity is not None:  # only when given, so older stored requests are unchanged
        out.update(net_quantity=str(i.net_quantity), net_unit=i.net_unit)
    return out


def _item_fields(i: Item, battery: Battery | None) -> dict[str, Any]:
    return {
        "description": i.description,
        "hs_code": i.hs_code,
        "quantity": i.quantity,
        "unit_value": str(i.unit_value),
        "currency": i.currency,
        "origin_country": i.origin_country,
        "battery": None
        if battery is None
        else {
            "un_number": battery.un_number,
            "watt_hours": None if battery.watt_hours is None else str(battery.watt_hours),
            "lithium_grams": None if battery.lithium_grams is None else str(battery.lithium_grams),
        },
    }


def _item_from(d: dict[str, Any]) -> Item:
    b = d["battery"]
    return Item(
        description=d["description"],
        hs_code=d["hs_code"],
        quantity=d["quantity"],
        unit_value=Decimal(d["unit_value"]),
        currency=d["currency"],
        origin_country=d["origin_country"],
        battery=None
        if b is None
        else Battery(b["un_number"], _dec(b["watt_hours"]), _dec(b["lithium_grams"])),
        net_quantity=_dec(d.get("net_quantity")),
        net_unit=d.get("net_unit"),
    )


def request_to_json(r: ShipmentRequest) -> dict[str, Any]:
    return {
        "sender": _address_to(r.sender),
        "recipient": _address_to(r.recipient),
        "parcels": [
            {
                "weight_kg": str(p.weight_kg),
                "length_cm": str(p.length_cm),
                "width_cm": str(p.width_cm),
                "height_cm": str(p.height_cm),
                "items": [_item_to(i) for i in p.items],
            }
            for p in r.parcels
        ],
        "incoterm": r.incoterm.value,
        "seller_ioss": r.seller_ioss,
        "ready_at": None if r.ready_at is None else r.ready_at.isoformat(),
        "origin_hub": r.origin_hub,
        "reference": r.reference,
    }


def request_from_json(d: dict[str, Any]) -> ShipmentRequest:
    return ShipmentRequest(
        sender=_address_from(d["sender"]),
        recipient=_address_from(d["recipient"]),
        parcels=tuple(
            Parcel(
                weight_kg=Decimal(p["weight_kg"]),
                length_cm=Decimal(p["length_cm"]),
                width_cm=Decimal(p["width_cm"]),
                height_cm=Decimal(p["height_cm"]),
                items=tuple(_item_from(i) for i in p["items"]),
            )
            for p in d["parcels"]
        ),
        incoterm=Incoterm(d["incoterm"]),
        seller_ioss=d["seller_ioss"],
        ready_at=_time(d["ready_at"]),
        origin_hub=d["origin_hub"],
        reference=d["reference"],
    )


def option_to_json(o: QuoteOption) -> dict[str, Any]:
    p = o.price
    return {
        "id": o.id,
        "service_level": o.service_level.value,
        "delivered_by": o.delivered_by.isoformat(),
        "promise_met": o.promise_met,
        "legs": [
            {
                "service_id": leg.service_id,
                "mode": leg.mode,
                "origin": leg.origin,
                "destination": leg.destination,
                "departure_utc": leg.departure_utc.isoformat(),
                "arrival_utc": leg.arrival_utc.isoformat(),
            }
            for leg in o.legs
        ],
        "co2_kg": str(o.co2_kg),
        "chargeable_kg": str(o.chargeable_kg),
        "warnings": [{"code": w.code, "message": w.message, "field": w.field} for w in o.warnings],
        "price": {
            "transport": str(p.transport),
            "duty": str(p.duty),
            "vat": str(p.vat),
            "consumption_tax": str(p.consumption_tax),
            "fees": str(p.fees),
            "total": str(p.total),
            "currency": p.currency,
        },
    }


def option_from_json(d: dict[str, Any]) -> QuoteOption:
    p = d["price"]
    return QuoteOption(
        id=d["id"],
        service_level=ServiceLevel(d["service_level"]),
        delivered_by=datetime.fromisoformat(d["delivered_by"]),
        promise_met=d["promise_met"],
        legs=tuple(
            RouteLeg(
                service_id=leg["service_id"],
                mode=leg["mode"],
                origin=leg["origin"],
                destination=leg["destination"],
                departure_utc=datetime.fromisoformat(leg["departure_utc"]),
                arrival_utc=datetime.fromisoformat(leg["arrival_utc"]),
            )
            for leg in d["legs"]
        ),
        co2_kg=Decimal(d["co2_kg"]),
        chargeable_kg=Decimal(d["chargeable_kg"]),
        # Options stored before warnings existed have none.
        warnings=tuple(
            Notice(w["code"], w["message"], w.get("field")) for w in d.get("warnings", ())
        ),
        price=Price(
            transport=Decimal(p["transport"]),
            duty=Decimal(p["duty"]),
            vat=Decimal(p["vat"]),
            consumption_tax=Decimal(p["consumption_tax"]),
            fees=Decimal(p["fees"]),
            total=Decimal(p["total"]),
            currency=p["currency"],
        ),
    )

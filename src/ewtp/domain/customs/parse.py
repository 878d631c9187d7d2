"""Turn the `ewtp landed-cost` JSON input into a `Consignment`, naming any bad field.

Shared by the CLI, the API and the bulk engine's error reporting, so every entry point
rejects the same input with the same message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from ewtp.domain.customs.model import NET_UNITS, SCHEMES, Battery, Consignment, Item
from ewtp.domain.customs.money import MAX_AMOUNT, MAX_MONEY_DECIMALS
from ewtp.domain.errors import InvalidInput

__all__ = ["parse_amount", "parse_consignment"]


def parse_amount(
    value: Any, field: str, *, positive: bool = False, required: bool = True
) -> Decimal | None:
    """A non-negative decimal amount with at most 4 decimals, below the engine's bound."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput("is required", field=field)
        return None
    if isinstance(value, float | bool):
        raise InvalidInput('must be a decimal string such as "10.00", not a float', field=field)
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{value!r} is not a decimal number", field=field) from None
    if not amount.is_finite():
        raise InvalidInput("must be a finite number", field=field)
    if amount < 0:
        raise InvalidInput("must not be negative", field=field)
    if positive and amount == 0:
        raise InvalidInput("must be greater than zero", field=field)
    if amount > MAX_AMOUNT:
        raise InvalidInput(f"must be at most {MAX_AMOUNT}", field=field)
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_MONEY_DECIMALS:
        raise InvalidInput(f"has more than {MAX_MONEY_DECIMALS} decimals", field=field)
    return amount


def _text(data: Mapping[str, Any], key: str, field: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput("is required", field=field)
        return None
    if not isinstance(value, str):
        raise InvalidInput("must be a string", field=field)
    return value.strip()


def _country(data: Mapping[str, Any], key: str, field: str, *, required: bool = True) -> str | None:
    value = _text(data, key, field, required=required)
    if value is None:
        return None
    if len(value) != 2 or not value.isalpha():
        raise InvalidInput(f"{value!r} is not an ISO 3166 alpha-2 country code", field=field)
    return value.upper()


def _battery(raw: Any, field: str) -> Battery | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping):
        raise InvalidInput("must be an object or null", field=field)
    un = _text(raw, "un_number", f"{field}.un_number")
    assert un is not None
    return Battery(
        un_number=un.upper().replace(" ", ""),
        watt_hours=parse_amount(raw.get("watt_hours"), f"{field}.watt_hours", required=False),
        lithium_grams=parse_amount(
            raw.get("lithium_grams"), f"{field}.lithium_grams", required=False
        ),
    )


def _item(raw: Any, index: int) -> Item:
    field = f"items[{index}]"
    if not isinstance(raw, Mapping):
        raise InvalidInput("must be an object", field=field)
    hs = _text(raw, "hs_code", f"{field}.hs_code")
    assert hs is not None
    hs = hs.replace(".", "").replace(" ", "")
    if not (hs.isdigit() and 6 <= len(hs) <= 10):
        raise InvalidInput(f"{hs!r} is not an HS code of 6 to 10 digits", field=f"{field}.hs_code")
    quantity = raw.get("quantity")
    if quantity is None:
        raise InvalidInput("is required", field=f"{field}.quantity")
    if isinstance(quantity, bool) or not isinstance(quantity, int | str):
        raise InvalidInput("must be a whole number", field=f"{field}.quantity")
    try:
        qty = int(quantity)
    except ValueError:
        raise InvalidInput(
            f"{quantity!r} is not a whole number", field=f"{field}.quantity"
        ) from None
    if qty < 1:
        raise InvalidInput("must be at least 1", field=f"{field}.quantity")
    unit_value = parse_amount(raw.get("unit_value"), f"{field}.unit_value", positive=True)
    weight = parse_amount(raw.get("weight_kg"), f"{field}.weight_kg")
    origin = _country(raw, "origin_country", f"{field}.origin_country")
    assert unit_value is not None
    assert weight is not None
    assert origin is not None
    return Item(
        description=_text(raw, "description", f"{field}.description") or "",
        hs_code=hs,
        quantity=qty,
        unit_value=unit_value,
        origin_country=origin,
        weight_kg=weight,
        battery=_battery(raw.get("battery"), f"{field}.battery"),
        **_net(raw, field),
    )


def _net(raw: Mapping[str, Any], field: str) -> dict[str, Any]:
    """Optional `net_quantity` (> 0) and `net_unit` (ml, g, piece, sheet), given together."""
    quantity = raw.get("net_quantity")
    unit = raw.get("net_unit")
    if quantity in (None, "") and unit in (None, ""):
        return {}
    if unit in (None, ""):
        raise InvalidInput("is required with net_quantity", field=f"{field}.net_unit")
    if unit not in NET_UNITS:
        raise InvalidInput(f"must be one of {', '.join(NET_UNITS)}", field=f"{field}.net_unit")
    if quantity in (None, ""):
        raise InvalidInput("is required with net_unit", field=f"{field}.net_quantity")
    amount = parse_amount(quantity, f"{field}.net_quantity", positive=True)
    return {"net_quantity": amount, "net_unit": unit}


def parse_consignment(data: Mapping[str, Any]) -> Consignment:
    """Validate the JSON shape and build the consignment; raise InvalidInput(field=...)."""
    if not isinstance(data, Mapping):
        raise InvalidInput("the consignment must be a JSON object", field="body")
    raw_date = _text(data, "date", "date")
    assert raw_date is not None
    try:
        on = date.fromisoformat(raw_date)
    except ValueError:
        raise InvalidInput(f"{raw_date!r} is not an ISO date (YYYY-MM-DD)", field="date") from None
    currency = _text(data, "currency", "currency")
    assert currency is not None
    if len(currency) != 3 or not currency.isalpha():
        raise InvalidInput(f"{currency!r} is not an ISO 4217 currency code", field="currency")
    scheme = _text(data, "scheme", "scheme", required=False) or "auto"
    if scheme not in SCHEMES:
        raise InvalidInput(f"must be one of {', '.join(SCHEMES)}", field="scheme")
    raw_items = data.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise InvalidInput("must be a non-empty list of items", field="items")
    transport = parse_amount(data.get("transport_cost"), "transport_cost")
    insurance = parse_amount(data.get("insurance_cost"), "insurance_cost")
    origin = _country(data, "origin_country", "origin_country")
    destination = _country(data, "destination_country", "destination_country")
    assert transport is not None
    assert insurance is not None
    assert origin
    assert destination
    buyer = data.get("buyer_id")
    if buyer is not None and not isinstance(buyer, str):
        raise InvalidInput("must be a string", field="buyer_id")
    ioss = _text(data, "seller_ioss", "seller_ioss", required=False)
    return Consignment(
        date=on,
        origin_country=origin,
        destination_country=destination,
        currency=currency.upper(),
        transport_cost=transport,
        insurance_cost=insurance,
        items=tuple(_item(raw, i) for i, raw in enumerate(raw_items)),
        seller_ioss=ioss.replace(" ", "").upper() if ioss else None,
        scheme=scheme,
        import_country=_country(data, "import_country", "import_country", required=False),
        buyer_id=buyer.strip() or None if buyer else None,
        buyer_annual_used=parse_amount(
            data.get("buyer_annual_used"), "buyer_annual_used", required=False
        ),
    )

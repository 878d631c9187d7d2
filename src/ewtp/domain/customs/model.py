"""The customs vocabulary: a consignment in, an assessment out.

These names are a cross-capability contract (the merchant platform uses them); keep them
stable.
The JSON shape of `Assessment.to_json()` is the `ewtp landed-cost` output of issue 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from ewtp.domain.customs.money import money_str

__all__ = [
    "NET_UNITS",
    "SCHEMES",
    "Assessment",
    "Battery",
    "Consignment",
    "Item",
    "LineAssessment",
    "Problem",
]

SCHEMES = ("auto", "ioss", "special_arrangements", "standard")
NET_UNITS = ("ml", "g", "piece", "sheet")


@dataclass(frozen=True)
class Battery:
    """A lithium battery in or with an item (IATA UN number, watt-hours, lithium grams)."""

    un_number: str
    watt_hours: Decimal | None = None
    lithium_grams: Decimal | None = None


@dataclass(frozen=True)
class Item:
    """One item line of a consignment; `unit_value` is in the consignment's currency."""

    description: str
    hs_code: str
    quantity: int
    unit_value: Decimal
    origin_country: str
    weight_kg: Decimal
    battery: Battery | None = None
    net_quantity: Decimal | None = None  # content of one unit, in `net_unit`
    net_unit: str | None = None  # ml, g, piece or sheet

    @property
    def value(self) -> Decimal:
        return self.unit_value * self.quantity


@dataclass(frozen=True)
class Consignment:
    """One parcel to one buyer. Money is in `currency`; dates select the rules in force."""

    date: date
    origin_country: str
    destination_country: str
    currency: str
    transport_cost: Decimal
    insurance_cost: Decimal
    items: tuple[Item, ...]
    seller_ioss: str | None = None
    scheme: str = "auto"
    import_country: str | None = None
    buyer_id: str | None = None
    buyer_annual_used: Decimal | None = None


@dataclass(frozen=True)
class Problem:
    """A warning (`item` = index of the item line) or an error (`field` = the input path)."""

    code: str
    message: str
    item: int | None = None
    field: str | None = None

    def warning_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "item": self.item}

    def error_json(self) -> dict[str, Any]:
        field_name = self.field
        if field_name is None and self.item is not None:
            field_name = f"items[{self.item}]"
        return {"code": self.code, "message": self.message, "field": field_name}


@dataclass(frozen=True)
class LineAssessment:
    """One item line's share of the duty and VAT; the shares sum to the totals."""

    index: int
    hs_code: str
    duty: Decimal
    vat: Decimal

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "hs_code": self.hs_code,
            "duty": money_str(self.duty),
            "vat": money_str(self.vat),
        }


MONEY_FIELDS = (
    "intrinsic_value",
    "intrinsic_value_eur",
    "customs_value",
    "duty",
    "vat",
    "consumption_tax",
    "fees",
    "total_taxes",
    "landed_cost",
)


@dataclass(frozen=True)
class Assessment:
    """Duties, taxes and the landed cost of one consignment, in `currency`.

    `currency` is the currency of the taxes (EUR into the EU, CNY into China);
    `exchange_rate` converts one unit of the consignment's currency into it, at the rate
    customs applies (`exchange_rate_rule`, see `fx_rules.py`) as published on
    `exchange_rate_date`.
    `total_taxes` = duty + VAT + consumption tax + fees; `landed_cost` = customs value +
    total taxes (goods, transport and insurance, and everything charged on top).
    """

    currency: str
    exchange_rate: Decimal
    intrinsic_value: Decimal
    intrinsic_value_eur: Decimal
    customs_value: Decimal
    duty: Decimal
    vat: Decimal
    vat_rate: Decimal | None
    consumption_tax: Decimal
    fees: Decimal
    total_taxes: Decimal
    landed_cost: Decimal
    scheme: str
    declaration_type: str
    allowed: bool
    lines: tuple[LineAssessment, ...]
    warnings: tuple[Problem, ...]
    errors: tuple[Problem, ...]
    exchange_rate_date: date | None = None
    declaration_reasons: tuple[str, ...] = field(default=())
    exchange_rate_rule: str | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented `ewtp landed-cost` output; money as strings with 2 decimals."""
        out: dict[str, Any] = {
            "currency": self.currency,
            "exchange_rate": str(self.exchange_rate),
            "exchange_rate_date": self.exchange_rate_date.isoformat()
            if self.exchange_rate_date
            else None,
            "exchange_rate_rule": self.exchange_rate_rule,
        }
        for name in MONEY_FIELDS[:5]:
            out[name] = money_str(getattr(self, name))
        out["vat_rate"] = None if self.vat_rate is None else str(self.vat_rate)
        for name in MONEY_FIELDS[5:]:
            out[name] = money_str(getattr(self, name))
        out.update(
            scheme=self.scheme,
            declaration_type=self.declaration_type,
            declaration_reasons=list(self.declaration_reasons),
            allowed=self.allowed,
            lines=[line.to_json() for line in self.lines],
            warnings=[w.warning_json() for w in self.warnings],
            errors=[e.error_json() for e in self.errors],
        )
        return out

"""Schemas of the customs endpoints: landed cost, declarations, manifest jobs, fees."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ewtp.api.schemas.examples import LANDED_COST_EXAMPLE

__all__ = [
    "CustomsBatteryIn",
    "CustomsItemIn",
    "DeclarationCreate",
    "DeclarationPublic",
    "FeeAuditPublic",
    "FeeAuditsPublic",
    "FeeCreate",
    "FeeEnd",
    "FeePublic",
    "FeesPublic",
    "LandedCostCreate",
    "LandedCostPublic",
    "LinePublic",
    "ManifestJobPublic",
]


class CustomsBatteryIn(BaseModel):
    un_number: str
    watt_hours: str | None = None
    lithium_grams: str | None = None


class CustomsItemIn(BaseModel):
    description: str
    hs_code: str
    quantity: int
    unit_value: str
    origin_country: str
    weight_kg: str
    battery: CustomsBatteryIn | None = None
    net_quantity: str | None = None  # content of one unit, for China's consumption tax
    net_unit: str | None = None  # ml, g, piece or sheet


class LandedCostCreate(BaseModel):
    """One consignment; money as decimal strings in `currency`."""

    model_config = ConfigDict(json_schema_extra={"examples": [LANDED_COST_EXAMPLE]})
    date: str
    origin_country: str
    destination_country: str
    currency: str
    transport_cost: str
    insurance_cost: str
    items: list[CustomsItemIn] = Field(min_length=1)
    seller_ioss: str | None = None
    scheme: str = "auto"
    import_country: str | None = None
    buyer_id: str | None = None
    buyer_annual_used: str | None = None


class LinePublic(BaseModel):
    index: int
    hs_code: str
    duty: str
    vat: str


class LandedCostPublic(BaseModel):
    """The assessment: money as strings with 2 decimals, in `currency` (EUR or CNY)."""

    currency: str
    exchange_rate: str
    exchange_rate_date: str | None
    exchange_rate_rule: str | None = None
    intrinsic_value: str
    intrinsic_value_eur: str
    customs_value: str
    duty: str
    vat: str
    vat_rate: str | None
    consumption_tax: str
    fees: str
    total_taxes: str
    landed_cost: str
    scheme: str
    declaration_type: str
    declaration_reasons: list[str]
    allowed: bool
    lines: list[LinePublic]
    warnings: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class DeclarationCreate(BaseModel):
    """A consignment and its parties (declarant with EORI, consignor, consignee, AWB, LRN)."""

    consignment: LandedCostCreate
    parties: dict[str, Any]


class DeclarationPublic(BaseModel):
    declaration_type: str
    reasons: list[str]
    declaration: dict[str, Any]
    placi: dict[str, Any]
    valid: bool
    errors: list[dict[str, Any]]
    data_elements_source: str


class ManifestJobPublic(BaseModel):
    id: str
    status: str
    consignments: int
    rejected: int
    message: str | None
    result_url: str | None
    rows_done: int = 0
    rows_total: int | None = None


class FeeCreate(BaseModel):
    """A national handling fee charged to the buyer, in force from `valid_from`."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"country": "IT", "amount": "2.00", "currency": "EUR",
                                         "per": "parcel", "lvc_only": True,
                                         "valid_from": "2026-07-01", "valid_to": None,
                                         "source": "Legge di bilancio 2026"}]}
    )  # fmt: skip
    country: str = Field(min_length=2, max_length=2)
    amount: str
    currency: str = Field(default="EUR", min_length=3, max_length=3)
    per: str = "parcel"
    lvc_only: bool = True
    valid_from: date
    valid_to: date | None = None
    source: str = Field(min_length=1)


class FeePublic(BaseModel):
    id: int | None
    country: str
    amount: str
    currency: str
    per: str
    lvc_only: bool
    valid_from: date
    valid_to: date | None
    source: str


class FeesPublic(BaseModel):
    data: list[FeePublic]
    count: int


class FeeEnd(BaseModel):
    """The last day an operator fee row is in force."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"valid_to": "2027-03-31"}]})
    valid_to: date


class FeeAuditPublic(BaseModel):
    """One change to an operator fee row: who made it, when, and the row as it then was."""

    at: datetime
    actor: str
    account_id: str
    action: str
    fee_id: int
    detail: str


class FeeAuditsPublic(BaseModel):
    data: list[FeeAuditPublic]
    count: int

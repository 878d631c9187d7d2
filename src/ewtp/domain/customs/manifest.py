"""Manifest rows (one per item line) to consignments, and assessments to result records.

Both the bulk engine and its scalar fallback build their output through `result_record`,
so a consignment gives the same record whichever path assessed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ewtp.domain.customs.model import Assessment, Consignment
from ewtp.domain.customs.parse import parse_consignment
from ewtp.domain.errors import DomainError, InvalidInput

__all__ = [
    "HEADER_COLUMNS",
    "INPUT_COLUMNS",
    "ITEM_COLUMNS",
    "MONEY_COLUMNS",
    "OPTIONAL_COLUMNS",
    "RESULT_COLUMNS",
    "consignment_from_rows",
    "error_record",
    "result_record",
]

HEADER_COLUMNS = (
    "date", "origin_country", "destination_country", "import_country", "seller_ioss",
    "currency", "transport_cost", "insurance_cost",
)  # fmt: skip
ITEM_COLUMNS = (
    "hs_code", "description", "quantity", "unit_value", "item_origin_country", "weight_kg",
)  # fmt: skip
INPUT_COLUMNS = ("consignment_id", *HEADER_COLUMNS, *ITEM_COLUMNS)
OPTIONAL_HEADER = ("scheme", "buyer_annual_used", "buyer_id")
OPTIONAL_ITEM = (
    "battery_un_number", "battery_watt_hours", "battery_lithium_grams", "net_quantity",
    "net_unit",
)  # fmt: skip
OPTIONAL_COLUMNS = (*OPTIONAL_HEADER, *OPTIONAL_ITEM)
MONEY_COLUMNS = MONEY = (
    "intrinsic_value", "intrinsic_value_eur", "customs_value", "duty", "vat",
    "consumption_tax", "fees", "total_taxes", "landed_cost",
)  # fmt: skip
RESULT_COLUMNS = (
    "consignment_id", "currency", "exchange_rate", "exchange_rate_date", "exchange_rate_rule",
    *MONEY[:5],
    "vat_rate", *MONEY[5:], "scheme", "declaration_type", "allowed", "error_codes",
    "warning_codes", "error_message",
)  # fmt: skip


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def consignment_from_rows(rows: Sequence[Mapping[str, Any]]) -> Consignment:
    """One consignment from its manifest rows; the header columns must agree on every row."""
    first = rows[0]
    for col in (*HEADER_COLUMNS, *OPTIONAL_HEADER):
        for n, row in enumerate(rows[1:], start=1):
            if (row.get(col) or None) != (first.get(col) or None):
                raise InvalidInput(
                    f"differs between the rows of one consignment (row {n} of it)", field=col
                )
    data: dict[str, Any] = {col: first.get(col) for col in HEADER_COLUMNS}
    data["scheme"] = None if _blank(first.get("scheme")) else first.get("scheme")
    data["buyer_annual_used"] = first.get("buyer_annual_used")
    data["buyer_id"] = None if _blank(first.get("buyer_id")) else first.get("buyer_id")
    for key in ("import_country", "seller_ioss"):
        if _blank(data[key]):
            data[key] = None
    items = []
    for row in rows:
        battery = None
        if not _blank(row.get("battery_un_number")):
            battery = {
                "un_number": row.get("battery_un_number"),
                "watt_hours": row.get("battery_watt_hours"),
                "lithium_grams": row.get("battery_lithium_grams"),
            }
        items.append(
            {
                "hs_code": row.get("hs_code"),
                "description": row.get("description"),
                "quantity": row.get("quantity"),
                "unit_value": row.get("unit_value"),
                "origin_country": row.get("item_origin_country"),
                "weight_kg": row.get("weight_kg"),
                "battery": battery,
                "net_quantity": row.get("net_quantity"),
                "net_unit": row.get("net_unit"),
            }
        )
    data["items"] = items
    return parse_consignment(data)


def _codes(problems: Sequence[Any]) -> str:
    return ";".join(sorted({p.code for p in problems}))


def result_record(consignment_id: str, a: Assessment) -> dict[str, Any]:
    """The bulk output row of an assessed consignment."""
    j = a.to_json()
    record: dict[str, Any] = {"consignment_id": consignment_id}
    for col in RESULT_COLUMNS[1:]:
        record[col] = j.get(col)
    record["error_codes"] = _codes(a.errors)
    record["warning_codes"] = _codes(a.warnings)
    record["error_message"] = (
        "; ".join(f"{p.error_json()['field']}: {p.message}" for p in a.errors) or None
    )
    return record


def error_record(consignment_id: str, error: DomainError) -> dict[str, Any]:
    """The bulk output row of a consignment that could not be assessed (bad input)."""
    record: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    record.update(
        consignment_id=consignment_id,
        allowed=False,
        error_codes=error.code,
        warning_codes="",
        error_message=str(error),
    )
    return record

"""The CSV import response (`POST /v1/shipments/bulk`): drafts made and rows refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ewtp.api.schemas.examples import SHIPMENT_IMPORT_EXAMPLES
from ewtp.api.schemas.shipments import ShipmentPublic
from ewtp.domain.merchant.csv_import import RowError, RowWarning

__all__ = ["BulkPublic", "RowErrorPublic", "RowWarningPublic", "row_errors", "row_warnings"]


class RowErrorPublic(BaseModel):
    row: int
    field: str
    message: str


class RowWarningPublic(BaseModel):
    """A created row with a screening flag; `row` is its line in the file."""

    row: int
    code: str
    message: str
    field: str | None = None


class BulkPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": SHIPMENT_IMPORT_EXAMPLES})

    created: int
    shipments: list[ShipmentPublic]
    errors: list[RowErrorPublic]
    warnings: list[RowWarningPublic] = []


def row_warnings(found: list[RowWarning]) -> list[RowWarningPublic]:
    return [
        RowWarningPublic(row=w.row, code=w.code, message=w.message, field=w.field) for w in found
    ]


def row_errors(errors: list[RowError]) -> list[RowErrorPublic]:
    return [RowErrorPublic(row=e.row, field=e.field, message=e.message) for e in errors]

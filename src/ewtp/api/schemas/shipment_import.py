"""The CSV import response (`POST /v1/shipments/bulk`): drafts made and rows refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from ewtp.api.schemas.examples import SHIPMENT_IMPORT_EXAMPLES
from ewtp.api.schemas.shipments import ShipmentPublic
from ewtp.domain.merchant.csv_import import RowError

__all__ = ["BulkPublic", "RowErrorPublic", "row_errors"]


class RowErrorPublic(BaseModel):
    row: int
    field: str
    message: str


class BulkPublic(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": SHIPMENT_IMPORT_EXAMPLES})

    created: int
    shipments: list[ShipmentPublic]
    errors: list[RowErrorPublic]


def row_errors(errors: list[RowError]) -> list[RowErrorPublic]:
    return [RowErrorPublic(row=e.row, field=e.field, message=e.message) for e in errors]

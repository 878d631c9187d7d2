"""Schemas of draft edits and batch actions on shipments (PATCH, bulk booking, labels)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ewtp.api.schemas.shipment_request import AddressIn, ParcelIn
from ewtp.api.schemas.shipments import ShipmentPublic, shipment_public
from ewtp.domain.errors import DomainError
from ewtp.domain.merchant.shipments import Incoterm, Parcel, ServiceLevel, ShipmentRequest
from ewtp.services.merchant.drafts_and_batches import MAX_BATCH, BatchItem

__all__ = ["BatchBookCreate", "BatchBookPublic", "ShipmentUpdate", "batch_public"]

ShipmentIdIn = Annotated[str, Field(min_length=1, max_length=64)]


class ShipmentUpdate(BaseModel):
    """A JSON merge patch of a draft: each top-level field sent replaces the draft's own
    (send the whole `recipient` to change one line of it); fields left out are kept."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"reference": "ORDER-1001-B"}]},
    )

    sender: AddressIn | None = None
    recipient: AddressIn | None = None
    parcels: list[ParcelIn] | None = Field(default=None, min_length=1, max_length=50)
    incoterm: Incoterm | None = None
    seller_ioss: Annotated[str, Field(pattern=r"^IM\d{10}$")] | None = None
    ready_at: AwareDatetime | None = None
    origin_hub: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{3,8}$")] | None = None
    reference: Annotated[str, Field(max_length=100)] | None = None

    def apply(self, current: ShipmentRequest) -> ShipmentRequest:
        """The draft's request with the sent fields replaced (an explicit null clears an
        optional one)."""
        sent = self.model_fields_set
        changes: dict[str, Any] = {}
        if "sender" in sent and self.sender is not None:
            changes["sender"] = self.sender.to_domain()
        if "recipient" in sent and self.recipient is not None:
            changes["recipient"] = self.recipient.to_domain()
        if "parcels" in sent and self.parcels is not None:
            changes["parcels"] = tuple(
                Parcel(p.weight_kg, p.length_cm, p.width_cm, p.height_cm,
                       tuple(i.to_domain() for i in p.items))
                for p in self.parcels
            )  # fmt: skip
        if "incoterm" in sent and self.incoterm is not None:
            changes["incoterm"] = self.incoterm
        for name in ("seller_ioss", "ready_at", "origin_hub", "reference"):
            if name in sent:
                changes[name] = getattr(self, name)
        return replace(current, **changes)


class BatchBookCreate(BaseModel):
    """Drafts to book, each as `POST /v1/shipments/{id}/book` would with this level (or,
    without one, the cheapest option that keeps the promise, else the fastest)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"ids": ["c3300368-0000-4000-8000-000000000000"]}]},
    )

    ids: list[ShipmentIdIn] = Field(min_length=1, max_length=MAX_BATCH)
    service_level: ServiceLevel | None = None


class BatchErrorPublic(BaseModel):
    code: str
    field: str | None
    message: str


class BatchResultPublic(BaseModel):
    """One id of the batch: `booked` with the shipment, or `failed` with the reason."""

    id: str
    status: str
    shipment: ShipmentPublic | None = None
    error: BatchErrorPublic | None = None


class BatchBookPublic(BaseModel):
    booked: int
    failed: int
    results: list[BatchResultPublic]


def _error(exc: DomainError) -> BatchErrorPublic:
    return BatchErrorPublic(code=exc.code, field=exc.field, message=exc.message)


def batch_public(items: list[BatchItem]) -> BatchBookPublic:
    results = [
        BatchResultPublic(id=i.shipment_id, status="booked", shipment=shipment_public(i.shipment))
        if i.shipment is not None
        else BatchResultPublic(
            id=i.shipment_id, status="failed", error=_error(i.error) if i.error else None
        )
        for i in items
    ]
    booked = sum(1 for r in results if r.status == "booked")
    return BatchBookPublic(booked=booked, failed=len(results) - booked, results=results)

"""Request and response schemas of scan ingestion and of a merchant's shipment tracking."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ewtp.api.schemas.closed_sets import ScanCodeName
from ewtp.http.public_tracking import RouteStepPublic
from ewtp.services.tracking.ingest_events import MAX_BATCH

__all__ = [
    "RejectionPublic",
    "ScanFlagPublic",
    "ShipmentTrackingPublic",
    "TimelineEventPublic",
    "TrackingBatchPublic",
    "TrackingEventCreate",
    "TrackingEventsCreate",
]


class TrackingEventCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "tracking_number": "LP000000014CN",
                "code": "departed",
                "occurred_at": "2026-11-22T09:15:00Z",
                "hub": "HGH",
                "source_event_id": "hgh-scan-8812",
            }
        }
    )

    tracking_number: str = Field(max_length=40)
    code: ScanCodeName
    # Text here, checked with the rest of the event: a bad time rejects that event only,
    # with the same message as in a CSV import, not the whole batch.
    occurred_at: str = Field(
        max_length=40,
        description="ISO 8601 with a UTC offset, e.g. 2026-11-22T09:15:00Z",
        json_schema_extra={"format": "date-time"},
    )
    hub: str = Field(max_length=20)
    description: str | None = Field(default=None, max_length=300)
    source_event_id: str | None = Field(default=None, max_length=100)


class TrackingEventsCreate(BaseModel):
    events: list[TrackingEventCreate] = Field(min_length=1, max_length=MAX_BATCH)


class RejectionPublic(BaseModel):
    """A refused event; `code` is stable for scripts: invalid, unknown_tracking_number,
    unknown_hub, in_future or cancelled."""

    index: int
    tracking_number: str
    field: str
    reason: str
    code: str


class ScanFlagPublic(BaseModel):
    """A stored scan that looks odd (code `before_booking`)."""

    index: int
    tracking_number: str
    code: str
    message: str


class TrackingBatchPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "accepted": 2,
                "duplicates": 1,
                "rejected": 1,
                "anomalies": 0,
                "errors": [
                    {
                        "index": 3,
                        "tracking_number": "LP000000016CN",
                        "field": "tracking_number",
                        "reason": "wrong S10 check digit (expected 4)",
                    }
                ],
            }
        }
    )

    accepted: int
    duplicates: int
    rejected: int
    anomalies: int
    errors: list[RejectionPublic]
    flags: list[ScanFlagPublic] = []


class TimelineEventPublic(BaseModel):
    code: str
    status: str
    reason: str | None
    description: str | None
    occurred_at: datetime
    hub: str
    city: str | None
    source_event_id: str | None
    anomaly: str | None


class ShipmentTrackingPublic(BaseModel):
    shipment_id: str
    tracking_number: str
    status: str
    promised_by: datetime | None
    expected_delivery: datetime | None
    delivered_at: datetime | None
    promise_at_risk: bool
    route: list[RouteStepPublic]
    timeline: list[TimelineEventPublic]

"""Scan ingestion for hub operators, and the merchant's view of one shipment's tracking."""

from __future__ import annotations

from datetime import datetime

import polars as pl
from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from ewtp.adapters.clock import utcnow
from ewtp.adapters.network.hub_cities import hub_city
from ewtp.adapters.polars.tracking_scans.validate import FIELDS, validate_scan_frame
from ewtp.api.schemas.tracking import RouteStepPublic, public_route
from ewtp.http.deps import MerchantDep, OperatorDep
from ewtp.http.tracking import RouteEtaDep, TrackingUowDep
from ewtp.services.tracking.ingest_events import MAX_BATCH, ingest_scans
from ewtp.services.tracking.track_shipment import track_shipment

__all__ = ["router"]

router = APIRouter(tags=["tracking"])


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
    code: str = Field(max_length=40)
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
    index: int
    tracking_number: str
    field: str
    reason: str


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


@router.post("/v1/tracking/events", response_model=TrackingBatchPublic)
def post_events(
    body: TrackingEventsCreate, _operator: OperatorDep, uow: TrackingUowDep, eta: RouteEtaDep
) -> TrackingBatchPublic:
    """Ingest a batch of up to 10,000 scan events (operator key); bad events are listed."""
    columns = {name: [getattr(e, name) for e in body.events] for name in FIELDS}
    valid = validate_scan_frame(pl.DataFrame(columns, schema=dict.fromkeys(FIELDS, pl.Utf8)))
    result = ingest_scans(uow, valid, valid.rejections, utcnow(), eta=eta)
    return TrackingBatchPublic(
        accepted=result.accepted,
        duplicates=result.duplicates,
        rejected=result.rejected,
        anomalies=result.anomalies,
        errors=[
            RejectionPublic(
                index=r.index, tracking_number=r.tracking_number, field=r.field, reason=r.reason
            )
            for r in result.rejections
        ],
    )


@router.get("/v1/shipments/{shipment_id}/tracking", response_model=ShipmentTrackingPublic)
def get_shipment_tracking(
    shipment_id: str, merchant: MerchantDep, uow: TrackingUowDep, eta: RouteEtaDep
) -> ShipmentTrackingPublic:
    """The timeline, status, route and ETA of one of your shipments."""
    view = track_shipment(
        uow, shipment_id=shipment_id, account_id=merchant.account_id, eta=eta, city=hub_city
    )
    return ShipmentTrackingPublic(
        shipment_id=view.shipment.id,
        tracking_number=view.shipment.tracking_number,
        status=view.status.value,
        promised_by=view.shipment.promised_by,
        expected_delivery=view.expected_delivery,
        delivered_at=view.delivered_at,
        promise_at_risk=view.promise_at_risk,
        route=public_route(view),
        timeline=[
            TimelineEventPublic(
                code=e.event.code,
                status=e.event.milestone.value,
                reason=e.event.reason,
                description=e.event.description,
                occurred_at=e.event.occurred_at,
                hub=e.event.hub,
                city=hub_city(e.event.hub),
                source_event_id=e.event.source_event_id,
                anomaly=e.anomaly,
            )
            for e in view.timeline
        ],
    )

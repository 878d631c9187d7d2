"""Scan ingestion for hub operators, and the merchant's view of one shipment's tracking."""

from __future__ import annotations

from datetime import timedelta

import polars as pl
from fastapi import APIRouter

from ewtp.adapters.clock import utcnow
from ewtp.adapters.network.hub_cities import hub_city
from ewtp.adapters.polars.tracking_scans.validate import FIELDS, validate_scan_frame
from ewtp.api.schemas.tracking import (
    RejectionPublic,
    ScanFlagPublic,
    ShipmentTrackingPublic,
    TimelineEventPublic,
    TrackingBatchPublic,
    TrackingEventsCreate,
)
from ewtp.http.deps import MerchantDep, OperatorDep, SettingsDep
from ewtp.http.public_tracking import public_route
from ewtp.http.tracking import RouteEtaDep, TrackingUowDep
from ewtp.services.tracking.ingest_events import ingest_rows
from ewtp.services.tracking.scan_checks import ScanChecks
from ewtp.services.tracking.track_shipment import track_shipment

__all__ = ["router"]

router = APIRouter(tags=["tracking"])


@router.post("/v1/tracking/events", response_model=TrackingBatchPublic, name="post_scans")
def post_events(
    body: TrackingEventsCreate,
    _operator: OperatorDep,
    uow: TrackingUowDep,
    eta: RouteEtaDep,
    settings: SettingsDep,
) -> TrackingBatchPublic:
    """Ingest a batch of up to 10,000 scan events (operator key); bad events are listed."""
    columns = {name: [getattr(e, name) for e in body.events] for name in FIELDS}
    frame = pl.DataFrame(columns, schema=dict.fromkeys(FIELDS, pl.Utf8))
    checks = ScanChecks(eta.known_hubs(), timedelta(minutes=settings.scan_max_future_minutes))
    result = ingest_rows(uow, frame, validate_scan_frame, utcnow(), eta=eta, checks=checks)
    return TrackingBatchPublic(
        accepted=result.accepted,
        duplicates=result.duplicates,
        rejected=result.rejected,
        anomalies=result.anomalies,
        errors=[
            RejectionPublic(
                index=r.index,
                tracking_number=r.tracking_number,
                field=r.field,
                reason=r.reason,
                code=r.code,
            )
            for r in result.rejections
        ],
        flags=[
            ScanFlagPublic(
                index=f.index, tracking_number=f.tracking_number, code=f.code, message=f.message
            )
            for f in result.flags
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

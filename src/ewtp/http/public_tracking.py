"""The public view of one parcel, shared by `GET /v1/track/{number}` and the `/track` pages.

No personal data leaves here: no names, addresses, phones, emails, values, free-text scan
descriptions (a courier may type a name into one) or internal anomaly notes.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from ewtp.adapters.network.hub_cities import hub_city
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.timeline import Milestone
from ewtp.services.tracking.track_shipment import TrackingView

__all__ = [
    "LABELS",
    "PublicEventPublic",
    "PublicTrackingPublic",
    "RouteStepPublic",
    "public_route",
    "public_view",
]

LABELS = {
    Milestone.INFO_RECEIVED: "Shipment information received",
    Milestone.ACCEPTED: "Accepted by the network",
    Milestone.DEPARTED: "Departed",
    Milestone.ARRIVED: "Arrived",
    Milestone.CUSTOMS_HOLD: "Held by customs",
    Milestone.CUSTOMS_RELEASED: "Released by customs",
    Milestone.OUT_FOR_DELIVERY: "Out for delivery",
    Milestone.DELIVERY_FAILED: "Delivery attempt failed",
    Milestone.DELIVERED: "Delivered",
    Milestone.EXCEPTION: "Delayed",
    Milestone.RETURNED: "Returned to sender",
}


class RouteStepPublic(BaseModel):
    hub: str
    city: str | None
    state: str


class PublicEventPublic(BaseModel):
    status: str
    label: str
    reason: str | None
    occurred_at: datetime
    hub: str
    city: str | None


class PublicTrackingPublic(BaseModel):
    tracking_number: str
    status: str
    promised_by: datetime | None
    expected_delivery: datetime | None
    delivered_at: datetime | None
    promise_at_risk: bool
    route: list[RouteStepPublic]
    timeline: list[PublicEventPublic]


def public_route(view: TrackingView) -> list[RouteStepPublic]:
    return [RouteStepPublic(hub=s.hub, city=s.city, state=s.state.value) for s in view.route]


def public_view(view: TrackingView) -> PublicTrackingPublic:
    return PublicTrackingPublic(
        tracking_number=view.shipment.tracking_number,
        status=view.status.value,
        # A cancelled parcel is void: no promise, route or ETA is shown for it.
        promised_by=None if view.status is ShipmentStatus.CANCELLED else view.shipment.promised_by,
        expected_delivery=view.expected_delivery,
        delivered_at=view.delivered_at,
        promise_at_risk=view.promise_at_risk,
        route=public_route(view),
        timeline=[
            PublicEventPublic(
                status=e.event.milestone.value,
                label=LABELS[e.event.milestone],
                reason=e.event.reason.replace("_", " ") if e.event.reason else None,
                occurred_at=e.event.occurred_at,
                hub=e.event.hub,
                city=hub_city(e.event.hub),
            )
            for e in reversed(view.timeline)
        ],
    )

"""Public tracking without a key: JSON at /v1/track/{number}, HTML at /track and /track/{number}.

No personal data leaves here: no names, addresses, phones, emails, values, free-text scan
descriptions (a courier may type a name into one) or internal anomaly notes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from pydantic import BaseModel

from ewtp.adapters.network.hub_cities import hub_city
from ewtp.api.schemas.tracking import RouteStepPublic, public_route
from ewtp.domain.errors import DomainError
from ewtp.domain.tracking.timeline import Milestone
from ewtp.http.tracking import RouteEtaDep, TrackingUowDep
from ewtp.services.tracking.track_shipment import TrackingView, track_shipment

__all__ = ["router"]

router = APIRouter(tags=["public tracking"])
TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[2] / "web" / "templates")
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


def _public(view: TrackingView) -> PublicTrackingPublic:
    return PublicTrackingPublic(
        tracking_number=view.shipment.tracking_number,
        status=view.status.value,
        promised_by=view.shipment.promised_by,
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


@router.get("/v1/track/{tracking_number}", response_model=PublicTrackingPublic)
def track(tracking_number: str, uow: TrackingUowDep, eta: RouteEtaDep) -> PublicTrackingPublic:
    """Public tracking of one parcel by its number: status, timeline, route and ETA."""
    return _public(track_shipment(uow, number=tracking_number, eta=eta, city=hub_city))


@router.get("/track", response_class=HTMLResponse, include_in_schema=False)
def track_search(request: Request, number: str | None = Query(default=None)) -> Response:
    if number:
        clean = number.strip().upper().replace(" ", "")
        return RedirectResponse(f"/track/{clean}", status_code=303)
    return TEMPLATES.TemplateResponse(request, "track_search.html", {"error": None, "number": ""})


@router.get("/track/{tracking_number}", response_class=HTMLResponse, include_in_schema=False)
def track_page(
    request: Request, tracking_number: str, uow: TrackingUowDep, eta: RouteEtaDep
) -> Response:
    try:
        view = _public(track_shipment(uow, number=tracking_number, eta=eta, city=hub_city))
    except DomainError as exc:
        status = 404 if exc.code == "not_found" else 422
        context = {"error": exc.message, "number": tracking_number}
        return TEMPLATES.TemplateResponse(request, "track_search.html", context, status_code=status)
    return TEMPLATES.TemplateResponse(request, "track.html", {"t": view})

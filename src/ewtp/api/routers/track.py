"""Public tracking without a key, as JSON; the same view is the page at /track/{number}."""

from __future__ import annotations

from fastapi import APIRouter

from ewtp.adapters.network.hub_cities import hub_city
from ewtp.http.public_tracking import PublicTrackingPublic, public_view
from ewtp.http.tracking import RouteEtaDep, TrackingUowDep
from ewtp.services.tracking.track_shipment import track_shipment

__all__ = ["router"]

router = APIRouter(tags=["public tracking"])


@router.get("/v1/track/{tracking_number}", response_model=PublicTrackingPublic, name="track_parcel")
def track(tracking_number: str, uow: TrackingUowDep, eta: RouteEtaDep) -> PublicTrackingPublic:
    """Public tracking of one parcel by its number: status, timeline, route and ETA."""
    return public_view(track_shipment(uow, number=tracking_number, eta=eta, city=hub_city))

"""Pydantic schemas of tracking views shared by the merchant and public routers."""

from __future__ import annotations

from pydantic import BaseModel

from ewtp.services.tracking.track_shipment import TrackingView

__all__ = ["RouteStepPublic", "public_route"]


class RouteStepPublic(BaseModel):
    hub: str
    city: str | None
    state: str


def public_route(view: TrackingView) -> list[RouteStepPublic]:
    return [RouteStepPublic(hub=s.hub, city=s.city, state=s.state.value) for s in view.route]

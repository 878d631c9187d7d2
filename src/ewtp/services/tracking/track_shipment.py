"""Use case `track_shipment`: the timeline, status, route steps and ETA of one parcel.

Merchants look a shipment up by id within their own account (another tenant's id is
NotFound); the public looks it up by tracking number. The public view is built from
this one, minus everything personal (see `http/public_tracking.py`).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.errors import NotFound
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.s10 import validate_s10
from ewtp.domain.tracking.timeline import (
    Milestone,
    TimelineEntry,
    derive_timeline,
    tracking_base_status,
)
from ewtp.services.tracking.live_eta import RouteEta
from ewtp.services.tracking.ports import ShipmentRef, TrackingUnitOfWork

__all__ = ["RouteStep", "StepState", "TrackingView", "track_shipment"]


class StepState(enum.StrEnum):
    VISITED = "visited"
    CURRENT = "current"
    PLANNED = "planned"


@dataclass(frozen=True, slots=True)
class RouteStep:
    hub: str
    city: str | None
    state: StepState


@dataclass(frozen=True, slots=True)
class TrackingView:
    shipment: ShipmentRef
    status: ShipmentStatus
    timeline: tuple[TimelineEntry, ...]
    route: tuple[RouteStep, ...]
    expected_delivery: datetime | None
    delivered_at: datetime | None
    promise_at_risk: bool


def track_shipment(
    uow: TrackingUnitOfWork,
    *,
    shipment_id: str | None = None,
    account_id: str | None = None,
    number: str | None = None,
    eta: RouteEta | None = None,
    city: Callable[[str], str | None] = lambda _code: None,
) -> TrackingView:
    """Everything a tracking page shows, or NotFound."""
    with uow:
        if number is not None:
            ship = uow.tracking.get_shipment(number=validate_s10(number))
        else:
            ship = uow.tracking.get_shipment(shipment_id=shipment_id)
        if ship is None or (account_id is not None and ship.account_id != account_id):
            raise NotFound("no shipment with this id or tracking number", field="id")
        rows = uow.tracking.timelines([ship.tracking_number]).get(ship.tracking_number, [])
        state = uow.tracking.get_etas([ship.id]).get(ship.id)
    derived = derive_timeline((r.event for r in rows), tracking_base_status(ship.status))
    delivered = [
        e.event.occurred_at
        for e in derived.timeline
        if e.event.milestone is Milestone.DELIVERED and not e.anomaly
    ]
    delivered_at = delivered[-1] if ship.status is ShipmentStatus.DELIVERED and delivered else None
    expected = state.eta_at if state else None
    planned = state.planned_hubs if state else ()
    origin, ready, country = ship.origin_hub, ship.ready_at, ship.destination_country
    if state is None and not rows and eta and origin and ready and country:
        estimate = eta.estimate(origin, ready, country)  # not scanned yet: the booked plan
        if estimate:
            expected, planned = estimate.delivered_at, estimate.hubs
    visited = _dedup([e.event.hub for e in derived.timeline]) or (
        [ship.origin_hub] if ship.origin_hub else []
    )
    timeline = _flag_before_booking(derived.timeline, ship.booked_at)
    if ship.status is ShipmentStatus.CANCELLED:
        # Void: no journey lies ahead, so neither a route nor an expected delivery is shown.
        return TrackingView(ship, ship.status, timeline, (), None, None, False)
    return TrackingView(
        shipment=ship,
        status=ship.status,
        timeline=timeline,
        route=_route(visited, planned, city, finished=delivered_at is not None),
        expected_delivery=delivered_at or expected,
        delivered_at=delivered_at,
        promise_at_risk=bool(state and state.promise_at_risk) and delivered_at is None,
    )


BEFORE_BOOKING = "before_booking: scanned before the shipment was booked"


def _flag_before_booking(
    timeline: tuple[TimelineEntry, ...], booked_at: datetime | None
) -> tuple[TimelineEntry, ...]:
    """Scans dated before the booking keep their place but carry the `before_booking` flag."""
    if booked_at is None:
        return timeline
    return tuple(
        TimelineEntry(e.event, BEFORE_BOOKING)
        if e.anomaly is None and e.event.occurred_at < booked_at
        else e
        for e in timeline
    )


def _dedup(hubs: list[str]) -> list[str]:
    return [h for i, h in enumerate(hubs) if i == 0 or hubs[i - 1] != h]


def _route(
    visited: list[str],
    planned: tuple[str, ...],
    city: Callable[[str], str | None],
    *,
    finished: bool,
) -> tuple[RouteStep, ...]:
    steps = [RouteStep(h, city(h), StepState.VISITED) for h in visited]
    if steps and not finished:
        steps[-1] = RouteStep(steps[-1].hub, steps[-1].city, StepState.CURRENT)
        here = steps[-1].hub
        ahead = list(planned[planned.index(here) + 1 :]) if here in planned else []
        steps += [RouteStep(h, city(h), StepState.PLANNED) for h in ahead]
    return tuple(steps)

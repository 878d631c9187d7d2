"""Live ETA: after a parcel moves (departed, arrived, exception), ask the route engine again.

The plan starts at the scan's hub and time and ends in the shipment's destination country;
its `delivered_utc` is the new expected delivery. When it is later than `promised_by`, the
shipment is flagged `promise_at_risk` and a `shipment.promise_at_risk` webhook is queued
(once, when the flag turns on). Plans are cached per batch: parcels scanned on the same
flight share hub, time and destination, so a batch costs one search per distinct triple.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.domain.tracking.timeline import ScanEvent
from ewtp.services.network.ports import NetworkUnitOfWork
from ewtp.services.network.routing import plan_route
from ewtp.services.tracking.ports import EtaState, ShipmentRef, TrackingUnitOfWork
from ewtp.services.webhooks.outbox import NewOutboxEvent

__all__ = ["Estimate", "RouteEta", "apply_live_eta"]


@dataclass(frozen=True, slots=True)
class Estimate:
    delivered_at: datetime
    hubs: tuple[str, ...]


class RouteEta:
    """Expected delivery from a hub and time to a country, through `plan_route`."""

    def __init__(self, network_uow: Callable[[], NetworkUnitOfWork]) -> None:
        self._network_uow = network_uow
        self._cache: dict[tuple[str, datetime, str], Estimate | None] = {}

    def estimate(self, hub: str, at: datetime, country: str) -> Estimate | None:
        key = (hub, at, country)
        if key not in self._cache:
            self._cache[key] = self._plan(hub, at, country)
        return self._cache[key]

    def _plan(self, hub: str, at: datetime, country: str) -> Estimate | None:
        try:
            plan = plan_route(self._network_uow(), hub, country, at)
        except (InvalidInput, NotFound):
            return None  # no network loaded, or a hub/country the network does not know
        if plan.fastest is None:
            return None
        legs = plan.fastest.legs
        hubs = (legs[0].origin, *(leg.destination for leg in legs)) if legs else (hub,)
        return Estimate(plan.fastest.delivered_utc, hubs)


def apply_live_eta(
    uow: TrackingUnitOfWork,
    eta: RouteEta,
    moved: Sequence[tuple[ShipmentRef, ScanEvent]],
    now: datetime,
) -> list[NewOutboxEvent]:
    """Recompute and store the ETA of each moved shipment; returns promise_at_risk events."""
    flagged = uow.tracking.at_risk([ship.id for ship, _ in moved])
    states: list[EtaState] = []
    events: list[NewOutboxEvent] = []
    for ship, scan in moved:
        if not ship.destination_country:
            continue
        found = eta.estimate(scan.hub, scan.occurred_at, ship.destination_country)
        if found is None:
            continue
        at_risk = ship.promised_by is not None and found.delivered_at > ship.promised_by
        states.append(EtaState(ship.id, found.delivered_at, scan.hub, found.hubs, at_risk))
        if at_risk and ship.id not in flagged:
            events.append(
                NewOutboxEvent(
                    ship.account_id,
                    "shipment.promise_at_risk",
                    ship.id,
                    _payload(ship, scan, found),
                    scan.occurred_at,
                )
            )
    uow.tracking.save_etas(states, now)
    return events


def _payload(ship: ShipmentRef, scan: ScanEvent, found: Estimate) -> dict[str, Any]:
    return {
        "shipment_id": ship.id,
        "tracking_number": ship.tracking_number,
        "promised_by": ship.promised_by.isoformat() if ship.promised_by else None,
        "expected_delivery": found.delivered_at.isoformat(),
        "from_hub": scan.hub,
        "planned_hubs": list(found.hubs),
    }

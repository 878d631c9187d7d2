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

from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.domain.tracking.timeline import ScanEvent
from ewtp.services.network.ports import NetworkUnitOfWork
from ewtp.services.network.routing import plan_route
from ewtp.services.tracking.ports import (
    EtaState,
    ShipmentRef,
    TrackingUnitOfWork,
    promise_at_risk_data,
)
from ewtp.services.webhooks.outbox import NewOutboxEvent

__all__ = ["Estimate", "RouteEta", "apply_live_eta"]


@dataclass(frozen=True, slots=True)
class Estimate:
    delivered_at: datetime
    hubs: tuple[str, ...]


# Hub codes per network version (a content digest), so each request reads only the version.
_HUBS_BY_VERSION: dict[str | None, frozenset[str]] = {}


class RouteEta:
    """Expected delivery from a hub and time to a country, through `plan_route`."""

    def __init__(self, network_uow: Callable[[], NetworkUnitOfWork]) -> None:
        self._network_uow = network_uow
        self._cache: dict[tuple[str, datetime, str], Estimate | None] = {}
        self._hubs: frozenset[str] | None = None

    def known_hubs(self) -> frozenset[str]:
        """The hub codes of the stored network (empty when none is loaded), read once."""
        if self._hubs is None:
            with self._network_uow() as uow:
                version = uow.network.version()
                if version not in _HUBS_BY_VERSION:
                    snapshot = uow.network.snapshot()
                    codes = frozenset(h.code for h in snapshot.hubs) if snapshot else frozenset()
                    _HUBS_BY_VERSION.clear()  # one network is in force at a time
                    _HUBS_BY_VERSION[version] = codes
                self._hubs = _HUBS_BY_VERSION[version]
        return self._hubs

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
                    promise_at_risk_data(
                        ship.id,
                        ship.tracking_number,
                        ship.promised_by,
                        found.delivered_at,
                        scan.hub,
                        found.hubs,
                    ),
                    scan.occurred_at,
                )
            )
    uow.tracking.save_etas(states, now)
    return events

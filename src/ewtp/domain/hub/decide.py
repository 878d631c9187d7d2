"""The real-time sort decision for one scanned parcel: chute, departure and reason.

    unknown parcel (None), or delivered/returned ─► unknown   reject chute, no departure
    cancelled                               ─► cancelled     hold chute, no departure
    customs_hold, or selected for a check   ─► customs_hold  inspection chute, no departure
    destination is a zone of this hub       ─► planned       delivery chute, no departure
    booked leg out of here, cut-off >= ready ─► planned      that departure's chute
    else the departure with cut-off >= ready reaching the destination earliest
      (the latest of equally fast ones), arriving within the reroute horizon
                                            ─► rerouted      its chute
    else                                    ─► no_route      hold chute, no departure

`ready` is `scanned_at` plus the hub's processing time, so every answered departure's
cut-off is at or after it. The promise holds when the expected delivery (arrival at the
destination hub plus its last mile) is at or before `promised_by`; for a customs hold
it is judged as if the parcel left the check `inspection_minutes` later.
"""

from __future__ import annotations

import enum
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.hub.departures import Departure, DepartureFinder, Onward
from ewtp.domain.hub.plan import SortPlan
from ewtp.domain.hub.selection import Selector

__all__ = ["Parcel", "ParcelState", "Reason", "SortDecision", "Sorter", "decide"]


class Reason(enum.StrEnum):
    PLANNED = "planned"
    REROUTED = "rerouted"
    CUSTOMS_HOLD = "customs_hold"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    NO_ROUTE = "no_route"


class ParcelState(enum.StrEnum):
    """What the hub needs to know of a shipment's status."""

    ACTIVE = "active"  # booked, in transit or in exception: to be sorted onward
    CUSTOMS_HOLD = "customs_hold"  # its latest scan is a customs hold
    CANCELLED = "cancelled"
    CLOSED = "closed"  # delivered or returned: not expected at any hub
    UNKNOWN = "unknown"  # no such parcel, or not a valid tracking number

    @property
    def routable(self) -> bool:
        return self in (ParcelState.ACTIVE, ParcelState.CUSTOMS_HOLD)


@dataclass(frozen=True, slots=True)
class Parcel:
    """A parcel as the sort needs it; `target_hub` is its destination zone's hub."""

    tracking_number: str
    state: ParcelState
    target_hub: str
    last_mile: timedelta = timedelta(0)
    promised_by: datetime | None = None
    booked_service_id: str | None = None  # its booked leg out of this hub, if any
    booked_departure_utc: datetime | None = None
    screening_flag: bool = False  # its customs assessment flagged it for review

    @classmethod
    def unknown(cls, tracking_number: str) -> Parcel:
        """A scanned number the platform does not know (or that is not a valid S10)."""
        return cls(tracking_number, ParcelState.UNKNOWN, "")


@dataclass(frozen=True, slots=True)
class SortDecision:
    tracking_number: str
    scanned_at: datetime
    reason: Reason
    chute: str
    departure: Departure | None
    expected_delivery_utc: datetime | None
    promise_holds: bool | None  # None when unknown, cancelled, or without a promise
    booked_service_id: str | None = None
    booked_departure_utc: datetime | None = None


class Sorter:
    """`decide` with the plan and finder bound and the model's times computed once: the
    hot path for loops over many parcels (a simulation, a file, an HTTP batch)."""

    __slots__ = ("_delivery", "_finder", "_hold", "_horizon", "_hub", "_inspect", "_inspection",
                 "_plan", "_processing", "_reject", "_select", "finder", "plan")  # fmt: skip

    def __init__(self, plan: SortPlan, finder: DepartureFinder) -> None:
        self.plan, self.finder = plan, finder
        self._plan, self._finder = plan, finder
        hub = plan.hub
        self._hub = hub.code
        self._processing = hub.times.processing
        self._inspection = hub.times.inspection
        self._horizon = timedelta(hours=hub.parameters.reroute_horizon_hours)
        self._select = Selector(hub.parameters.inspection_selection_rate)
        special = plan.special
        self._reject, self._hold = special.reject[0], special.hold[0]
        self._inspect, self._delivery = special.inspection, special.delivery

    def __call__(self, parcel: Parcel | None, scanned_at: datetime) -> SortDecision:
        if parcel is None or not parcel.state.routable:
            if parcel is None or parcel.state is not ParcelState.CANCELLED:
                number = parcel.tracking_number if parcel else ""
                return SortDecision(
                    number, scanned_at, Reason.UNKNOWN, self._reject, None, None, None
                )
            return SortDecision(
                parcel.tracking_number, scanned_at, Reason.CANCELLED, self._hold, None, None, None,
                parcel.booked_service_id, parcel.booked_departure_utc,
            )  # fmt: skip
        number = parcel.tracking_number
        ready = scanned_at + self._processing
        finder = self._finder
        if parcel.state is ParcelState.CUSTOMS_HOLD or self._select(number, parcel.screening_flag):
            later = finder.earliest(parcel.target_hub, ready + self._inspection)
            eta = None if later is None else later.arrival_utc + parcel.last_mile
            return SortDecision(
                number, scanned_at, Reason.CUSTOMS_HOLD, _pick(self._inspect, number), None, eta,
                _holds(parcel, eta), parcel.booked_service_id, parcel.booked_departure_utc,
            )  # fmt: skip
        if parcel.target_hub == self._hub:
            eta = ready + parcel.last_mile
            return SortDecision(
                number, scanned_at, Reason.PLANNED, _pick(self._delivery, number), None, eta,
                _holds(parcel, eta), parcel.booked_service_id, parcel.booked_departure_utc,
            )  # fmt: skip
        onward: Onward | None = None
        reason = Reason.PLANNED
        if parcel.booked_service_id is not None and parcel.booked_departure_utc is not None:
            onward = finder.via(
                parcel.target_hub, parcel.booked_service_id, parcel.booked_departure_utc
            )
            if onward is not None and onward.departure.cutoff_utc < ready:
                onward = None
        if onward is None:
            reason = Reason.REROUTED
            onward = finder.earliest(parcel.target_hub, ready)
            if onward is None or onward.arrival_utc - scanned_at > self._horizon:
                return SortDecision(
                    number, scanned_at, Reason.NO_ROUTE, self._hold, None, None,
                    _holds(parcel, None), parcel.booked_service_id, parcel.booked_departure_utc,
                )  # fmt: skip
        eta = onward.arrival_utc + parcel.last_mile
        planned = self._plan.planned(onward.departure)
        chutes = planned.chutes if planned is not None and planned.chutes else (self._hold,)
        return SortDecision(
            number, scanned_at, reason, _pick(chutes, number), onward.departure, eta,
            _holds(parcel, eta), parcel.booked_service_id, parcel.booked_departure_utc,
        )  # fmt: skip


def decide(
    parcel: Parcel | None, scanned_at: datetime, plan: SortPlan, finder: DepartureFinder
) -> SortDecision:
    """Decide one scan; `parcel` is None (or `Parcel.unknown`) for an unknown number."""
    return Sorter(plan, finder)(parcel, scanned_at)


def _pick(chutes: tuple[str, ...], number: str) -> str:
    """One of a departure's chutes, the same for a parcel on every rescan."""
    if len(chutes) == 1:
        return chutes[0]
    return chutes[zlib.crc32(number.encode()) % len(chutes)]


def _holds(parcel: Parcel, eta: datetime | None) -> bool | None:
    if parcel.promised_by is None:
        return None
    return eta is not None and eta <= parcel.promised_by

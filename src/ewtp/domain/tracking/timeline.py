"""Scan events: one table from scan codes to normalized statuses, and the timeline fold.

Scanners speak many dialects (our own names, UPU EMSEVT codes, reason-specific codes).
`SCAN_CODES` maps each to one of eleven normalized statuses plus an optional reason code,
and each normalized status has one effect on the shipment lifecycle:

    info_received ─► (none)        customs_hold / customs_released ─► in_transit
    accepted, departed, arrived, out_for_delivery ─► in_transit
    delivered ─► delivered         delivery_failed, exception ─► exception
    returned ─► returned

The status is a fold over the timeline sorted by `occurred_at` (ties broken by the
normalized status order, then by the event's own fields), never by arrival order, so any
shuffle or replay of the same events gives the same result. A step the lifecycle forbids
(e.g. `departed` after `delivered`) is kept in the timeline, flagged as an anomaly, and
does not change the status. A booked parcel whose first scan is later than acceptance
(say `delivered`) is taken as handed over first: the acceptance is implied.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from ewtp.domain.errors import InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus, can_transition

__all__ = [
    "HUB_SLOT",
    "MILESTONE_EFFECT",
    "SCAN_CODES",
    "Derivation",
    "Milestone",
    "ScanCode",
    "ScanEvent",
    "StepRule",
    "TimelineEntry",
    "dedup_key",
    "derive_timeline",
    "lookup_code",
    "step_rules",
    "tracking_base_status",
]


class Milestone(enum.StrEnum):
    """The normalized statuses, in the order a parcel normally meets them."""

    INFO_RECEIVED = "info_received"
    ACCEPTED = "accepted"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    CUSTOMS_HOLD = "customs_hold"
    CUSTOMS_RELEASED = "customs_released"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERY_FAILED = "delivery_failed"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED = "returned"


M = Milestone
S = ShipmentStatus
MILESTONE_ORDER = {m: i for i, m in enumerate(Milestone)}
MILESTONE_EFFECT: dict[Milestone, ShipmentStatus | None] = {
    M.INFO_RECEIVED: None,
    M.ACCEPTED: S.IN_TRANSIT,
    M.DEPARTED: S.IN_TRANSIT,
    M.ARRIVED: S.IN_TRANSIT,
    M.CUSTOMS_HOLD: S.IN_TRANSIT,
    M.CUSTOMS_RELEASED: S.IN_TRANSIT,
    M.OUT_FOR_DELIVERY: S.IN_TRANSIT,
    M.DELIVERY_FAILED: S.EXCEPTION,
    M.DELIVERED: S.DELIVERED,
    M.EXCEPTION: S.EXCEPTION,
    M.RETURNED: S.RETURNED,
}
# Statuses after which only a lifecycle-allowed move is normal; any other scan is odd.
SETTLED = frozenset({S.DELIVERED, S.RETURNED, S.CANCELLED})


@dataclass(frozen=True, slots=True)
class ScanCode:
    code: str
    milestone: Milestone
    reason: str | None
    meaning: str


_UPU = "UPU EMSEVT v3 event codes (UPU Standard M40 / EDI messaging guide)"
SCAN_CODES: tuple[ScanCode, ...] = (
    # Our own names: every normalized status is itself a valid scan code.
    *(ScanCode(m.value, m, None, m.value.replace("_", " ")) for m in Milestone),
    # Reason-specific codes.
    ScanCode("customs_inspection", M.CUSTOMS_HOLD, "customs_inspection", "held for inspection"),
    ScanCode("customs_documentation", M.CUSTOMS_HOLD, "customs_documentation", "documents missing"),
    ScanCode("customs_duties_unpaid", M.CUSTOMS_HOLD, "customs_duties_unpaid", "duties unpaid"),
    ScanCode("customs_prohibited", M.EXCEPTION, "customs_prohibited", "prohibited goods seized"),
    ScanCode("capacity_exceeded", M.EXCEPTION, "capacity_exceeded", "offloaded: no capacity"),
    ScanCode("missed_connection", M.EXCEPTION, "missed_connection", "missed its connection"),
    ScanCode("damaged", M.EXCEPTION, "damaged", "parcel damaged"),
    ScanCode("recipient_absent", M.DELIVERY_FAILED, "recipient_absent", "nobody at home"),
    ScanCode("address_unknown", M.DELIVERY_FAILED, "address_unknown", "address not found"),
    ScanCode("refused", M.RETURNED, "refused", "refused by the recipient"),
    # UPU EMSEVT event codes, as exchanged between postal operators.
    ScanCode("EMA", M.ACCEPTED, None, f"posting/collection ({_UPU})"),
    ScanCode("EMB", M.ARRIVED, None, f"arrival at outward office of exchange ({_UPU})"),
    ScanCode("EMC", M.DEPARTED, None, f"departure from outward office of exchange ({_UPU})"),
    ScanCode("EMD", M.ARRIVED, None, f"arrival at inward office of exchange ({_UPU})"),
    ScanCode("EME", M.CUSTOMS_HOLD, "customs_inspection", f"handed over to customs ({_UPU})"),
    ScanCode("EMF", M.DEPARTED, None, f"departure from inward office of exchange ({_UPU})"),
    ScanCode("EMG", M.ARRIVED, None, f"arrival at delivery office ({_UPU})"),
    ScanCode("EMH", M.DELIVERY_FAILED, None, f"unsuccessful delivery attempt ({_UPU})"),
    ScanCode("EMI", M.DELIVERED, None, f"final delivery ({_UPU})"),
)
_INDEX = {c.code.lower(): c for c in SCAN_CODES}


def lookup_code(code: str) -> ScanCode:
    """The table entry of a scan code (case-insensitive), or InvalidInput naming the field."""
    found = _INDEX.get(code.strip().lower())
    if found is None:
        raise InvalidInput(f"unknown scan code {code!r}; see the documented list", field="code")
    return found


@dataclass(frozen=True, slots=True)
class ScanEvent:
    """One scan of one parcel, with its code already looked up."""

    tracking_number: str
    code: str
    milestone: Milestone
    reason: str | None
    occurred_at: datetime
    hub: str
    description: str | None = None
    source_event_id: str | None = None

    @property
    def order_key(self) -> tuple[datetime, int, str, str, str, str]:
        return (
            self.occurred_at,
            MILESTONE_ORDER[self.milestone],
            self.code,
            self.hub,
            self.source_event_id or "",
            self.description or "",
        )


def dedup_key(code: str, occurred_at: datetime, hub: str, source_event_id: str | None) -> str:
    """What makes two scans of one parcel the same: the source id, else code, time and hub."""
    if source_event_id:
        return f"s:{source_event_id}"
    return f"k:{code.lower()}|{occurred_at.isoformat(timespec='microseconds')}|{hub}"


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    event: ScanEvent
    anomaly: str | None


@dataclass(frozen=True, slots=True)
class Derivation:
    status: ShipmentStatus
    timeline: tuple[TimelineEntry, ...]

    @property
    def current_hub(self) -> str | None:
        return self.timeline[-1].event.hub if self.timeline else None

    @property
    def anomalies(self) -> int:
        return sum(1 for e in self.timeline if e.anomaly)


def tracking_base_status(stored: ShipmentStatus) -> ShipmentStatus:
    """Where the fold starts: a shipment that is not draft or cancelled starts as booked."""
    return stored if stored in (S.DRAFT, S.CANCELLED) else S.BOOKED


def derive_timeline(
    events: Iterable[ScanEvent], base: ShipmentStatus, *, distinct: bool = False
) -> Derivation:
    """Fold the distinct events, in time order, into a status and a flagged timeline.

    `distinct=True` skips deduplication when the caller already guarantees it (rows that
    came through the database's unique indexes).
    """
    if distinct:
        chosen = list(events)
    else:
        unique: dict[str, ScanEvent] = {}
        for event in events:
            key = dedup_key(event.code, event.occurred_at, event.hub, event.source_event_id)
            best = unique.get(key)
            if best is None or event.order_key < best.order_key:
                unique[key] = event
        chosen = list(unique.values())
    if len(chosen) > 1:
        chosen.sort(key=lambda e: e.order_key)
    status = base
    timeline = []
    for event in chosen:
        status, anomaly = _step(status, event)
        timeline.append(TimelineEntry(event, anomaly))
    return Derivation(status=status, timeline=tuple(timeline))


HUB_SLOT = "{hub}"


@dataclass(frozen=True, slots=True)
class StepRule:
    """One step of the fold: a scan of `milestone` on a `status` shipment.

    `anomaly` names the hub as `HUB_SLOT`, for the caller to fill in.
    """

    status: ShipmentStatus
    milestone: Milestone
    next_status: ShipmentStatus
    anomaly: str | None


def step_rules() -> tuple[StepRule, ...]:
    """The fold's step for every (status, milestone) pair, as data.

    A store can then apply the step to many shipments at once (a join) with exactly the
    rule `derive_timeline` applies one event at a time.
    """
    rules = []
    for status in ShipmentStatus:
        for milestone in Milestone:
            probe = ScanEvent("", milestone.value, milestone, None, _PROBE_TIME, HUB_SLOT)
            after, anomaly = _step(status, probe)
            rules.append(StepRule(status, milestone, after, anomaly))
    return tuple(rules)


_PROBE_TIME = datetime(2000, 1, 1, tzinfo=UTC)  # any time: a step never looks at it


def _step(status: ShipmentStatus, event: ScanEvent) -> tuple[ShipmentStatus, str | None]:
    target = MILESTONE_EFFECT[event.milestone]
    if target is None or target == status:
        if status in SETTLED and target is None:
            return status, f"{event.milestone.value} scan after the shipment was {status.value}"
        return status, None
    if can_transition(status, target):
        return target, None
    if status is S.BOOKED and can_transition(S.IN_TRANSIT, target):
        return target, None  # the acceptance scan is missing; handover is implied
    return status, (
        f"{event.milestone.value} at {event.hub} would move a {status.value} shipment "
        f"to {target.value}, which the lifecycle forbids"
    )

"""Use case `ingest_events`: validate a batch of scans, store the new ones, re-derive status.

One transaction per batch: the scans, the shipments' new statuses, the anomaly flags and
the outbox events commit together. Bad events are rejected one by one with a reason; the
good ones of the same batch are kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, Protocol, TypeVar

from ewtp.domain.errors import InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.scans import RawEvent, Rejection, to_scan_event
from ewtp.domain.tracking.timeline import (
    Derivation,
    Milestone,
    ScanEvent,
    derive_timeline,
    step_rules,
    tracking_base_status,
)
from ewtp.services.tracking.live_eta import apply_live_eta
from ewtp.services.tracking.ports import (
    Estimator,
    FoldResult,
    FoldRules,
    ScanBatch,
    ShipmentRef,
    StoredEvent,
    TrackingUnitOfWork,
    tracking_update,
)
from ewtp.services.tracking.scan_checks import ScanChecks, ScanFlag, judge_scan
from ewtp.services.webhooks.outbox import NewOutboxEvent

__all__ = [
    "MAX_BATCH",
    "MAX_KEPT_REJECTIONS",
    "IngestResult",
    "ScanList",
    "ValidatedScans",
    "ingest_events",
    "ingest_rows",
    "ingest_scans",
]

T = TypeVar("T")
MAX_BATCH = 10_000
# Refusals stored per batch for the console (the sender gets them all in the answer); a
# file of garbage must not turn into as many stored rows.
MAX_KEPT_REJECTIONS = 1_000
STATUS_EVENTS = {
    ShipmentStatus.DELIVERED: "shipment.delivered",
    ShipmentStatus.EXCEPTION: "shipment.exception",
}
# After these, the parcel's position changed, so the live ETA is recomputed.
ETA_MILESTONES = frozenset({Milestone.DEPARTED, Milestone.ARRIVED, Milestone.EXCEPTION})


@dataclass(slots=True)
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    anomalies: int = 0
    flags: list[ScanFlag] = field(default_factory=list)

    def add(self, other: IngestResult) -> None:
        self.accepted += other.accepted
        self.duplicates += other.duplicates
        self.rejected += other.rejected
        self.anomalies += other.anomalies
        self.rejections.extend(other.rejections)
        self.flags.extend(other.flags)


def ingest_events(
    uow: TrackingUnitOfWork,
    events: Sequence[RawEvent | ScanEvent],
    now: datetime,
    *,
    eta: Estimator | None = None,
    max_batch: int = MAX_BATCH,
) -> IngestResult:
    """Validate a batch event by event, then store it (`ingest_scans`)."""
    if len(events) > max_batch:
        raise InvalidInput(f"at most {max_batch} events per batch", field="events")
    valid = ScanList()
    rejections: list[Rejection] = []
    for index, raw in enumerate(events):
        try:
            valid.append((index, raw if isinstance(raw, ScanEvent) else to_scan_event(raw)))
        except InvalidInput as exc:
            rejections.append(
                Rejection(index, raw.tracking_number, exc.field or "event", exc.message)
            )
    return ingest_scans(uow, valid, rejections, now, eta=eta)


class ValidatedScans(ScanBatch, Protocol):
    """A validator's answer: the good scans, and the rows it refused."""

    @property
    def rejections(self) -> Sequence[Rejection]: ...


def ingest_rows(
    uow: TrackingUnitOfWork,
    rows: T,
    validate: Callable[[T], ValidatedScans],
    now: datetime,
    *,
    eta: Estimator | None = None,
    checks: ScanChecks | None = None,
) -> IngestResult:
    """Validate a batch as its entry point read it, then ingest it: the one path of
    `POST /v1/tracking/events` and of each transaction of `ewtp tracking ingest`."""
    valid = validate(rows)
    return ingest_scans(uow, valid, valid.rejections, now, eta=eta, checks=checks)


def ingest_scans(
    uow: TrackingUnitOfWork,
    scans: ScanBatch,
    rejections: Sequence[Rejection],
    now: datetime,
    *,
    eta: Estimator | None = None,
    checks: ScanChecks | None = None,
) -> IngestResult:
    """Store a validated batch and bring the touched shipments up to date.

    `rejections` are the batch's events that failed validation (a bulk validator such as
    `adapters/polars/tracking_scans/validate.py` may have judged them); they are reported
    with the rest. With `checks`, scans are first judged by `services/tracking/scan_checks`
    (known hub, not in the future, not on a cancelled parcel; before booking flagged).
    """
    result = IngestResult(rejections=list(rejections))
    with uow:
        if checks is not None and len(scans):
            scans = _apply_checks(uow, scans, checks, now, result)
        if len(scans):
            folded = uow.tracking.fold_batch(
                scans, fold_rules(), now, subscriptions=lambda ids: _wanted(uow, ids), eta=eta
            )
            _take(uow, folded, now, result, eta)
        result.rejections.sort(key=lambda r: r.index)
        if result.rejections:
            uow.tracking.record_rejections(result.rejections[:MAX_KEPT_REJECTIONS], now)
        uow.commit()
    result.rejected = len(result.rejections)
    return result


@cache
def fold_rules() -> FoldRules:
    """The step table and the other rules of the fold, built once from the domain."""
    return FoldRules(
        steps=step_rules(),
        base={s: tracking_base_status(s) for s in ShipmentStatus},
        status_events=dict(STATUS_EVENTS),
        eta_milestones=ETA_MILESTONES,
    )


def _apply_checks(
    uow: TrackingUnitOfWork,
    scans: ScanBatch,
    checks: ScanChecks,
    now: datetime,
    result: IngestResult,
) -> ScanBatch:
    numbers, hubs, earliest, latest = scans.summary()
    facts = uow.tracking.scan_facts(numbers)
    if (
        latest <= now + checks.max_future
        and (not checks.hubs or hubs <= set(checks.hubs))
        and not any(f.status is ShipmentStatus.CANCELLED for f in facts.values())
        and not any(f.booked_at and f.booked_at > earliest for f in facts.values())
    ):
        return scans  # the usual batch: nothing to refuse or flag, no row looked at
    keys = scans.keys()
    refused: set[int] = set()
    for index, number, milestone, hub, at in keys:
        probe = ScanEvent(number, "", Milestone(milestone), None, at, hub)
        verdict, flag = judge_scan(probe, facts.get(number), checks, now)
        if verdict is not None:
            refused.add(index)
            result.rejections.append(
                Rejection(index, number, verdict.field, verdict.reason, verdict.code)
            )
        elif flag is not None:
            result.flags.append(
                ScanFlag(index, number, flag, "scanned before the shipment was booked")
            )
    return scans.without(refused) if refused else scans


class ScanList(list[tuple[int, ScanEvent]]):
    """A `ScanBatch` of events validated one by one: (position in the batch, event)."""

    def events(self) -> list[tuple[int, ScanEvent]]:
        return self

    def keys(self) -> list[tuple[int, str, str, str, datetime]]:
        return [(i, e.tracking_number, e.milestone.value, e.hub, e.occurred_at) for i, e in self]

    def summary(self) -> tuple[list[str], set[str], datetime, datetime]:
        times = [e.occurred_at for _, e in self]
        numbers = sorted({e.tracking_number for _, e in self})
        return numbers, {e.hub for _, e in self}, min(times), max(times)

    def without(self, positions: set[int]) -> ScanList:
        return ScanList((i, e) for i, e in self if i not in positions)


def _take(
    uow: TrackingUnitOfWork,
    folded: FoldResult,
    now: datetime,
    result: IngestResult,
    eta: Estimator | None,
) -> None:
    """Report what the store did, and fold the shipments it left."""
    for index, number in folded.unknown:
        result.rejections.append(
            Rejection(
                index,
                number,
                "tracking_number",
                "unknown tracking number",
                "unknown_tracking_number",
            )
        )
    result.accepted = folded.accepted
    result.duplicates = folded.duplicates
    result.anomalies = folded.anomalies
    if folded.left_events:
        known = {number: ship for number, (ship, _) in folded.left.items()}
        last_times = {number: last for number, (_, last) in folded.left.items() if last is not None}
        _refresh(uow, folded.left_events, known, last_times, now, result, eta)


def _refresh(
    uow: TrackingUnitOfWork,
    inserted: list[StoredEvent],
    known: dict[str, ShipmentRef],
    last_times: dict[str, datetime],
    now: datetime,
    result: IngestResult,
    eta: Estimator | None,
) -> None:
    """Re-derive each touched shipment.

    The fold is sequential, so when every new scan of a parcel is later than all its stored
    scans the fold simply continues from the stored status (the common, append-only case).
    Otherwise the whole timeline is read back and folded again, and anomaly flags of older
    scans are corrected.
    """
    new_by_number: dict[str, list[StoredEvent]] = defaultdict(list)
    for row in inserted:
        new_by_number[row.event.tracking_number].append(row)
    late = [
        number
        for number, rows in new_by_number.items()
        if number in last_times and min(r.event.occurred_at for r in rows) <= last_times[number]
    ]
    stored = uow.tracking.timelines(sorted(late)) if late else {}
    statuses: dict[str, ShipmentStatus] = {}
    last_scans: dict[str, datetime] = {}
    anomalies: dict[int, str | None] = {}
    outbox: list[NewOutboxEvent] = []
    moved: list[tuple[ShipmentRef, ScanEvent]] = []
    for number, new_rows in new_by_number.items():
        ship = known[number]
        new_events = [r.event for r in new_rows]
        if number in stored:
            rows = stored[number]
            base = tracking_base_status(ship.status)
        else:
            rows = new_rows
            base = ship.status if number in last_times else tracking_base_status(ship.status)
        derived = derive_timeline([r.event for r in rows], base, distinct=True)
        flags = {_key(e.event): e.anomaly for e in derived.timeline}
        for row in rows:
            flag = flags.get(_key(row.event))
            if flag != row.anomaly:
                anomalies[row.id] = flag
        result.anomalies += sum(1 for e in new_events if flags.get(_key(e)))
        if derived.status != ship.status:
            statuses[ship.id] = derived.status
        newest = max(e.occurred_at for e in new_events)
        if number not in last_times or newest > last_times[number]:
            last_scans[ship.id] = newest
        outbox.extend(_events_for(ship, derived, new_events))
        latest = derived.timeline[-1].event if derived.timeline else None
        if latest in new_events and latest.milestone in ETA_MILESTONES:
            moved.append((ship, latest))
    if statuses or last_scans:
        uow.tracking.save_folds(statuses, last_scans, now)
    if anomalies:
        uow.tracking.set_anomalies(anomalies)
    if eta is not None and moved:
        outbox.extend(apply_live_eta(uow, eta, moved, now))
    _queue_subscribed(uow, outbox)


def _queue_subscribed(uow: TrackingUnitOfWork, outbox: list[NewOutboxEvent]) -> None:
    """Write the outbox events some endpoint of the account subscribes to.

    An event no endpoint wants would only be written to be discarded, and at hub scale
    that would double the rows written per scan; endpoints receive events from the moment
    they are registered, as with any webhook provider.
    """
    if not outbox:
        return
    wanted = _wanted(uow, sorted({e.account_id for e in outbox}))
    chosen = [e for e in outbox if (e.account_id, e.event_type) in wanted]
    if chosen:
        uow.outbox.add_many(chosen)


def _wanted(uow: TrackingUnitOfWork, account_ids: Sequence[str]) -> set[tuple[str, str]]:
    """(account id, event type) of every live endpoint of these accounts."""
    return {(e.account_id, t) for e in uow.webhooks.subscribers(account_ids) for t in e.events}


def _key(e: ScanEvent) -> tuple[Any, ...]:
    return (e.source_event_id,) if e.source_event_id else (e.code, e.occurred_at, e.hub)


def _events_for(
    ship: ShipmentRef, derived: Derivation, new_events: list[ScanEvent]
) -> list[NewOutboxEvent]:
    latest = max(new_events, key=lambda e: e.order_key)
    data = tracking_update(
        ship.id,
        ship.tracking_number,
        derived.status.value,
        ship.status.value,
        sorted(new_events, key=lambda e: e.order_key),
    )
    found = [NewOutboxEvent(ship.account_id, "tracking.updated", ship.id, data, latest.occurred_at)]
    if derived.status != ship.status and derived.status in STATUS_EVENTS:
        found.append(
            NewOutboxEvent(
                ship.account_id, STATUS_EVENTS[derived.status], ship.id, data, latest.occurred_at
            )
        )
    return found

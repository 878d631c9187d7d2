# ruff: noqa: ARG002  (fakes implement the ports' full signatures and ignore some arguments)
"""Small builders and in-memory fakes for tracking tests.

`FakeTracking` holds the state of a whole store (accounts, shipments, scans, ETAs,
webhooks, outbox); each `uow()` is a transaction over it that rolls back what it did
not commit, as the SQL unit of work does. Its `fold_batch` folds nothing itself, like the
SQL store on SQLite: every touched shipment is left to the use case.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.scans import Rejection
from ewtp.domain.tracking.timeline import ScanEvent, dedup_key, lookup_code
from ewtp.services.tracking.ports import (
    AbstractTrackingRepository,
    Estimate,
    Estimator,
    EtaState,
    FoldResult,
    FoldRules,
    ScanBatch,
    ScanFacts,
    ShipmentRef,
    StoredEvent,
    Subscriptions,
    TrackingUnitOfWork,
)
from unit.accounts.fakes import FakeAccountRepository
from unit.tracking.strategies import NUMBER, START
from unit.webhooks.fakes import FakeOutbox, FakeWebhookRepository


def event(code: str, hour: float, hub: str, source: str | None = None) -> ScanEvent:
    """A scan of the test parcel `hour` hours after the stream start."""
    found = lookup_code(code)
    return ScanEvent(
        tracking_number=NUMBER,
        code=found.code,
        milestone=found.milestone,
        reason=found.reason,
        occurred_at=START + timedelta(hours=hour),
        hub=hub,
        source_event_id=source,
    )


class FakeTrackingRepository(AbstractTrackingRepository):
    def __init__(self) -> None:
        self.shipments: dict[str, ShipmentRef] = {}  # by tracking number
        self.last_scan: dict[str, datetime] = {}  # shipment id -> latest stored scan time
        self.updated_at: dict[str, datetime] = {}  # shipment id -> time of its last status
        self.events: dict[int, StoredEvent] = {}
        self.keys: set[tuple[str, str]] = set()  # (number, dedup key): the unique indexes
        self.etas: dict[str, EtaState] = {}
        self.rejections: list[tuple[Rejection, datetime]] = []  # refused scans, as kept
        self.next_id = 1

    def add_shipment(self, ship: ShipmentRef) -> None:
        self.shipments[ship.tracking_number] = ship

    def fold_batch(
        self,
        scans: ScanBatch,
        rules: FoldRules,
        at: datetime,
        *,
        subscriptions: Subscriptions,
        eta: Estimator | None,
    ) -> FoldResult:
        result = FoldResult()
        for index, e in scans.events():
            ship = self.shipments.get(e.tracking_number)
            if ship is None:
                result.unknown.append((index, e.tracking_number))
                continue
            key = (e.tracking_number, dedup_key(e.code, e.occurred_at, e.hub, e.source_event_id))
            if key in self.keys:
                result.duplicates += 1
                continue
            self.keys.add(key)
            stored, self.next_id = StoredEvent(self.next_id, e, None), self.next_id + 1
            self.events[stored.id] = stored
            result.left.setdefault(e.tracking_number, (ship, self.last_scan.get(ship.id)))
            result.left_events.append(stored)
        result.accepted = len(result.left_events)
        return result

    def scan_facts(self, tracking_numbers: Sequence[str]) -> dict[str, ScanFacts]:
        return {
            n: ScanFacts(s.status, s.destination_country, s.booked_at)
            for n in tracking_numbers
            if (s := self.shipments.get(n)) is not None
        }

    def timelines(self, tracking_numbers: Sequence[str]) -> dict[str, list[StoredEvent]]:
        found: dict[str, list[StoredEvent]] = {}
        for stored in self.events.values():
            if stored.event.tracking_number in tracking_numbers:
                found.setdefault(stored.event.tracking_number, []).append(stored)
        return found

    def save_folds(
        self, statuses: dict[str, ShipmentStatus], last_scans: dict[str, datetime], at: datetime
    ) -> None:
        for number, ship in list(self.shipments.items()):
            if ship.id in statuses:
                self.shipments[number] = replace(ship, status=statuses[ship.id])
                self.updated_at[ship.id] = at
        self.last_scan.update(last_scans)

    def set_anomalies(self, changes: dict[int, str | None]) -> None:
        for event_id, anomaly in changes.items():
            self.events[event_id] = replace(self.events[event_id], anomaly=anomaly)

    def get_shipment(
        self, *, shipment_id: str | None = None, number: str | None = None
    ) -> ShipmentRef | None:
        return next(
            (
                s
                for s in self.shipments.values()
                if shipment_id in (None, s.id) and number in (None, s.tracking_number)
            ),
            None,
        )

    def get_etas(self, shipment_ids: Sequence[str]) -> dict[str, EtaState]:
        return {i: self.etas[i] for i in shipment_ids if i in self.etas}

    def at_risk(self, shipment_ids: Sequence[str]) -> set[str]:
        return {i for i in shipment_ids if i in self.etas and self.etas[i].promise_at_risk}

    def save_etas(self, states: Sequence[EtaState], at: datetime) -> None:
        self.etas.update((s.shipment_id, s) for s in states)

    def record_rejections(self, rejections: Sequence[Rejection], at: datetime) -> None:
        self.rejections.extend((r, at) for r in rejections)


class FakeTracking:
    """One in-memory store; `uow()` opens a transaction on it."""

    def __init__(self) -> None:
        self.accounts = FakeAccountRepository()
        self.tracking = FakeTrackingRepository()
        self.outbox = FakeOutbox()
        self.webhooks = FakeWebhookRepository(self.outbox)
        self.commits = 0

    def uow(self) -> FakeTrackingUnitOfWork:
        return FakeTrackingUnitOfWork(self)

    def state(self) -> tuple[dict[str, Any], ...]:
        return tuple(r.__dict__ for r in (self.accounts, self.tracking, self.outbox, self.webhooks))


class FakeTrackingUnitOfWork(TrackingUnitOfWork):
    """A transaction over a `FakeTracking`: rollback restores the state of the last commit."""

    def __init__(self, store: FakeTracking) -> None:
        self.store = store
        self.accounts = store.accounts
        self.tracking = store.tracking
        self.webhooks = store.webhooks
        self.outbox = store.outbox
        self._saved = self._snapshot()

    def _snapshot(self) -> tuple[dict[str, Any], ...]:
        # The webhooks repository holds the outbox itself: keep that reference, copy its state.
        return copy.deepcopy(self.store.state(), {id(self.store.outbox): self.store.outbox})

    def __enter__(self) -> FakeTrackingUnitOfWork:
        self._saved = self._snapshot()
        return self

    def commit(self) -> None:
        self.store.commits += 1
        self._saved = self._snapshot()

    def rollback(self) -> None:
        for live, saved in zip(self.store.state(), self._saved, strict=True):
            live.clear()
            live.update(saved)


class FixedEta(Estimator):
    """Answers every (hub, time, country) with one delivery time `hours` after the scan."""

    def __init__(self, hours: float, hubs: tuple[str, ...] = ("HGH", "LGG")) -> None:
        self.hours = hours
        self.hubs = hubs
        self.asked: list[tuple[str, datetime, str]] = []

    def estimate(self, hub: str, at: datetime, country: str) -> Estimate | None:
        self.asked.append((hub, at, country))
        return Estimate(at + timedelta(hours=self.hours), self.hubs)

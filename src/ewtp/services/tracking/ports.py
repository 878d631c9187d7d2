"""Ports of the tracking capability: scan storage and its unit of work.

The repository works on sets (a batch of scans, the shipments they touch) because hub
scale means tens of thousands of events per call; the rules stay in `domain.tracking`.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.scans import Rejection
from ewtp.domain.tracking.timeline import Milestone, ScanEvent, StepRule
from ewtp.services.webhooks.ports import WebhooksUnitOfWork

__all__ = [
    "MILESTONE_TEXT",
    "STAGED_COLUMNS",
    "AbstractTrackingRepository",
    "EtaState",
    "PlannedEta",
    "ScanBatch",
    "ScanFacts",
    "SetFoldRules",
    "ShipmentRef",
    "StagedRow",
    "StoredEvent",
    "TrackingUnitOfWork",
    "promise_at_risk_data",
    "staged_row",
    "tracking_update",
]


@dataclass(frozen=True, slots=True)
class ShipmentRef:
    """The core shipment columns tracking needs."""

    id: str
    account_id: str
    tracking_number: str
    status: ShipmentStatus
    origin_hub: str | None
    destination_country: str | None
    promised_by: datetime | None
    ready_at: datetime | None = None
    booked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ScanFacts:
    """What the scan checks need to know of a parcel (`services.scan_checks`)."""

    status: ShipmentStatus
    destination_country: str | None
    booked_at: datetime | None


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    event: ScanEvent
    anomaly: str | None


@dataclass(frozen=True, slots=True)
class EtaState:
    shipment_id: str
    eta_at: datetime | None
    eta_from_hub: str | None
    planned_hubs: tuple[str, ...]
    promise_at_risk: bool


@dataclass(frozen=True, slots=True)
class SetFoldRules:
    """The domain's rules as data, for a store that folds many shipments in one statement."""

    steps: tuple[StepRule, ...]
    base: dict[ShipmentStatus, ShipmentStatus]  # stored status -> where a first fold starts
    status_events: dict[ShipmentStatus, str]  # new status -> webhook event type
    eta_milestones: frozenset[Milestone]
    wanted: tuple[tuple[str, str], ...] = ()  # (account id, event type) some endpoint wants


@dataclass(frozen=True, slots=True)
class PlannedEta:
    """A route-engine answer for scans at `hub` at `at` bound for `country`."""

    hub: str
    at: datetime
    country: str
    delivered_at: datetime
    hubs: tuple[str, ...]


class ScanBatch(Protocol):
    """A validated batch of scans, each with its position in the batch as sent.

    Two forms of the same rows: objects for stores that fold in Python, and headerless CSV
    (columns `STAGED_COLUMNS`, times ISO 8601 with their offset, missing values empty) for
    stores that can bulk-load it without touching each row in Python.
    """

    def __len__(self) -> int: ...

    def events(self) -> list[tuple[int, ScanEvent]]: ...

    def to_csv(self) -> bytes: ...

    def keys(self) -> list[tuple[int, str, str, str, datetime]]:
        """(position, number, milestone, hub, occurred_at) of each scan."""
        ...

    def summary(self) -> tuple[list[str], set[str], datetime, datetime]:
        """The distinct numbers and hubs, and the earliest and latest scan time: enough to
        pass a whole batch through the scan checks without looking at each row."""
        ...

    def without(self, positions: set[int]) -> ScanBatch:
        """The same batch less the scans at `positions`."""
        ...


# The staging layout of `ScanBatch`: a scan's columns, then its position in the batch.
STAGED_COLUMNS = (
    "tracking_number", "code", "milestone", "reason", "occurred_at", "hub", "description",
    "source_event_id", "seq",
)  # fmt: skip
StagedRow = tuple[str, str, str, str | None, datetime, str, str | None, str | None, int]
# `.value` of an Enum is a Python-level call; a plain dict is far cheaper per row.
MILESTONE_TEXT = {m: m.value for m in Milestone}


def tracking_update(
    shipment_id: str,
    tracking_number: str,
    status: str,
    previous_status: str,
    events: Sequence[ScanEvent],
) -> dict[str, Any]:
    """The `data` of `tracking.updated`, and of the status event the same scans caused.

    Declared here because two places build it: the use case, for the shipments it folds
    itself, and a store whose set-based fold writes outbox rows that only name their scan
    (`OutboxEventRow.tracking_event_id`) and builds the data when the row is read.
    """
    return {
        "shipment_id": shipment_id,
        "tracking_number": tracking_number,
        "status": status,
        "previous_status": previous_status,
        "events": [
            {
                "code": e.code,
                "status": MILESTONE_TEXT[e.milestone],
                "reason": e.reason,
                "occurred_at": e.occurred_at.isoformat(),
                "hub": e.hub,
                "description": e.description,
                "source_event_id": e.source_event_id,
            }
            for e in events
        ],
    }


def promise_at_risk_data(
    shipment_id: str,
    tracking_number: str,
    promised_by: datetime | None,
    expected_delivery: datetime,
    from_hub: str,
    planned_hubs: Sequence[str],
) -> dict[str, Any]:
    """The `data` of `shipment.promise_at_risk`.

    Declared here because two places build it: the use case, for the shipments it plans
    itself, and a store whose set-based fold finds the shipments at risk in SQL.
    """
    return {
        "shipment_id": shipment_id,
        "tracking_number": tracking_number,
        "promised_by": promised_by.isoformat() if promised_by else None,
        "expected_delivery": expected_delivery.isoformat(),
        "from_hub": from_hub,
        "planned_hubs": list(planned_hubs),
    }


def staged_row(seq: int, e: ScanEvent) -> StagedRow:
    """One scan in the staging layout of `ScanBatch` (the time as a datetime)."""
    return (e.tracking_number, e.code, MILESTONE_TEXT[e.milestone], e.reason, e.occurred_at,
            e.hub, e.description, e.source_event_id, seq)  # fmt: skip


class AbstractTrackingRepository(abc.ABC):
    # A store that can fold the common case (one new scan, later than all stored ones)
    # for a whole batch in SQL sets this and implements the `*_set` methods below.
    set_based: bool = False

    def lock_staged_set(self) -> list[tuple[int, str]]:
        """Lock the staged batch's shipments; returns (position, number) of unknown ones."""
        raise NotImplementedError

    def insert_staged_set(self, received_at: datetime) -> int:
        """Store the new staged events of known shipments; returns how many were new."""
        raise NotImplementedError

    def fold_appended_set(
        self, rules: SetFoldRules, at: datetime
    ) -> tuple[int, dict[str, tuple[ShipmentRef, datetime | None]], list[StoredEvent]]:
        """Fold every shipment with one new, latest scan in the store.

        Returns the anomalies flagged, and the other touched shipments (with their latest
        stored time before this batch) and their new events, for the caller to fold.
        """
        raise NotImplementedError

    def appended_accounts(self) -> list[str]:
        """Accounts owning the shipments `fold_appended_set` folded."""
        raise NotImplementedError

    def queue_appended_set(self, rules: SetFoldRules, at: datetime) -> None:
        """Write the outbox rows of the shipments `fold_appended_set` folded."""
        raise NotImplementedError

    def appended_moves(self, rules: SetFoldRules) -> list[tuple[str, datetime, str]]:
        """Distinct (hub, time, destination) of folded scans that move the live ETA."""
        raise NotImplementedError

    def save_appended_etas(
        self, rules: SetFoldRules, plans: Sequence[PlannedEta], at: datetime
    ) -> None:
        """Store the live ETAs of the folded shipments and queue promise_at_risk events."""
        raise NotImplementedError

    @abc.abstractmethod
    def scan_facts(self, tracking_numbers: Sequence[str]) -> dict[str, ScanFacts]:
        """Status, destination and booking time of the known parcels among the numbers."""

    @abc.abstractmethod
    def stage(self, scans: ScanBatch) -> None:
        """Hold a validated batch in this transaction, ready for the next two calls."""

    @abc.abstractmethod
    def lock_staged(self) -> dict[str, tuple[ShipmentRef, datetime | None]]:
        """Lock the staged batch's shipments against concurrent ingestion.

        Returns number -> (shipment, latest stored `occurred_at` or None, as kept by
        `save_folds`); numbers that are not in the result are unknown.
        """

    @abc.abstractmethod
    def insert_staged(self, received_at: datetime) -> list[StoredEvent]:
        """Store the staged events of known shipments, skipping duplicates; returns those new."""

    @abc.abstractmethod
    def timelines(self, tracking_numbers: Sequence[str]) -> dict[str, list[StoredEvent]]: ...

    @abc.abstractmethod
    def save_folds(
        self, statuses: dict[str, ShipmentStatus], last_scans: dict[str, datetime], at: datetime
    ) -> None:
        """Write what a fold changed, one update per shipment: shipment id -> new status
        (`updated_at` becomes `at`), shipment id -> `occurred_at` of its latest stored
        scan, now later."""

    @abc.abstractmethod
    def set_anomalies(self, changes: dict[int, str | None]) -> None:
        """Event id -> anomaly text (None clears it)."""

    @abc.abstractmethod
    def get_shipment(
        self, *, shipment_id: str | None = None, number: str | None = None
    ) -> ShipmentRef | None: ...

    @abc.abstractmethod
    def get_etas(self, shipment_ids: Sequence[str]) -> dict[str, EtaState]: ...

    @abc.abstractmethod
    def at_risk(self, shipment_ids: Sequence[str]) -> set[str]:
        """Those of these shipments already flagged promise_at_risk."""

    @abc.abstractmethod
    def save_etas(self, states: Sequence[EtaState], at: datetime) -> None: ...

    @abc.abstractmethod
    def record_rejections(self, rejections: Sequence[Rejection], at: datetime) -> None:
        """Keep refused scans (number as sent, field, code, reason) received at `at`."""


class TrackingUnitOfWork(WebhooksUnitOfWork):
    """Scans are stored beside the outbox rows they cause, in one transaction."""

    tracking: AbstractTrackingRepository

"""Ports of the tracking capability: scan storage and its unit of work.

The repository works on sets (a batch of scans, the shipments they touch) because hub
scale means tens of thousands of events per call; the rules stay in `domain.tracking`.
`fold_batch` is the one call that stores a batch: how a store stages, locks, inserts and
folds it is the adapter's business (`adapters/db/tracking/`); the use case sees
`FoldResult`, in the words of the domain.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.scans import Rejection
from ewtp.domain.tracking.timeline import Milestone, ScanEvent, StepRule
from ewtp.services.webhooks.ports import WebhooksUnitOfWork

__all__ = [
    "MILESTONE_TEXT",
    "AbstractTrackingRepository",
    "Estimate",
    "Estimator",
    "EtaState",
    "FoldResult",
    "FoldRules",
    "ScanBatch",
    "ScanFacts",
    "ShipmentRef",
    "StoredEvent",
    "Subscriptions",
    "TrackingUnitOfWork",
    "promise_at_risk_data",
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
class FoldRules:
    """The domain's rules as data, for a store that folds many shipments in one statement."""

    steps: tuple[StepRule, ...]
    base: dict[ShipmentStatus, ShipmentStatus]  # stored status -> where a first fold starts
    status_events: dict[ShipmentStatus, str]  # new status -> webhook event type
    eta_milestones: frozenset[Milestone]


@dataclass(frozen=True, slots=True)
class Estimate:
    """The route engine's expected delivery from a hub and time, and the hubs on the way."""

    delivered_at: datetime
    hubs: tuple[str, ...]


class Estimator(Protocol):
    """Expected delivery from `hub` at `at` to `country`, or None when there is no route."""

    def estimate(self, hub: str, at: datetime, country: str) -> Estimate | None: ...


# Account ids -> the (account id, event type) pairs some live endpoint of theirs wants.
Subscriptions = Callable[[Sequence[str]], Collection[tuple[str, str]]]


@dataclass(slots=True)
class FoldResult:
    """What a store did with a batch (`AbstractTrackingRepository.fold_batch`).

    The store folds what it can in place (statuses, anomaly flags, live ETAs and outbox
    rows written); every other shipment with new scans is `left` to the caller, with its
    latest stored scan time from before the batch, and its new scans in `left_events`.
    A store that folds nothing itself leaves every touched shipment.
    """

    unknown: list[tuple[int, str]] = field(default_factory=list)  # (position, number)
    accepted: int = 0  # new scans stored
    duplicates: int = 0  # scans of known parcels that were stored already
    anomalies: int = 0  # among the scans the store folded itself
    left: dict[str, tuple[ShipmentRef, datetime | None]] = field(default_factory=dict)
    left_events: list[StoredEvent] = field(default_factory=list)


class ScanBatch(Protocol):
    """A validated batch of scans, each with its position in the batch as sent.

    A store may know faster forms of some batches (see `adapters/db/tracking/staging.py`);
    `events()` is the one every batch has.
    """

    def __len__(self) -> int: ...

    def events(self) -> list[tuple[int, ScanEvent]]: ...

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
    and builds the data when the row is read.
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
    itself, and a store whose set-based fold finds the shipments at risk itself.
    """
    return {
        "shipment_id": shipment_id,
        "tracking_number": tracking_number,
        "promised_by": promised_by.isoformat() if promised_by else None,
        "expected_delivery": expected_delivery.isoformat(),
        "from_hub": from_hub,
        "planned_hubs": list(planned_hubs),
    }


class AbstractTrackingRepository(abc.ABC):
    @abc.abstractmethod
    def fold_batch(
        self,
        scans: ScanBatch,
        rules: FoldRules,
        at: datetime,
        *,
        subscriptions: Subscriptions,
        eta: Estimator | None,
    ) -> FoldResult:
        """Lock the batch's shipments against concurrent ingestion and store its new scans.

        Duplicates (already stored, or twice in the batch) are skipped by the dedup rule
        of `domain.tracking.timeline.dedup_key`; scans of unknown numbers are not stored.
        A store may fold shipments itself with `rules` (new statuses and `updated_at` =
        `at`, anomaly flags, outbox rows for `subscriptions`, live ETAs from `eta`); the
        rest it leaves to the caller (see `FoldResult`).
        """

    @abc.abstractmethod
    def scan_facts(self, tracking_numbers: Sequence[str]) -> dict[str, ScanFacts]:
        """Status, destination and booking time of the known parcels among the numbers."""

    @abc.abstractmethod
    def timelines(self, tracking_numbers: Sequence[str]) -> dict[str, list[StoredEvent]]: ...

    @abc.abstractmethod
    def save_folds(
        self, statuses: dict[str, ShipmentStatus], last_scans: dict[str, datetime], at: datetime
    ) -> None:
        """Write what a fold changed, one update per shipment: shipment id -> new status
        (`updated_at` becomes `at`), shipment id -> `occurred_at` of its latest stored
        scan, now later (what `fold_batch` reports as the latest stored time)."""

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

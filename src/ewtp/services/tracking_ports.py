"""Ports of the tracking capability: scan storage, webhook storage and their unit of work.

The repository works on sets (a batch of scans, the shipments they touch) because hub
scale means tens of thousands of events per call; the rules stay in `domain.tracking`.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking import ScanEvent
from ewtp.domain.webhooks import DeliveryStatus, Endpoint
from ewtp.services.accounts import AccountsUnitOfWork
from ewtp.services.outbox import AbstractOutbox, OutboxEvent

__all__ = [
    "AbstractTrackingRepository",
    "AbstractWebhookRepository",
    "Delivery",
    "DueDelivery",
    "EtaState",
    "ShipmentRef",
    "StoredEvent",
    "TrackingUnitOfWork",
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
class Delivery:
    id: str
    endpoint_id: str
    event_id: str
    event_type: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    response_status: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True, slots=True)
class DueDelivery:
    delivery_id: str
    attempts: int
    endpoint: Endpoint
    event: OutboxEvent


class AbstractTrackingRepository(abc.ABC):
    @abc.abstractmethod
    def stage(self, events: Sequence[ScanEvent]) -> None:
        """Hold a validated batch in this transaction, ready for the next two calls."""

    @abc.abstractmethod
    def lock_staged(self) -> dict[str, tuple[ShipmentRef, datetime | None]]:
        """Lock the staged batch's shipments against concurrent ingestion.

        Returns number -> (shipment, latest stored `occurred_at` or None); numbers that
        are not in the result are unknown.
        """

    @abc.abstractmethod
    def insert_staged(self, received_at: datetime) -> list[StoredEvent]:
        """Store the staged events of known shipments, skipping duplicates; returns those new."""

    @abc.abstractmethod
    def timelines(self, tracking_numbers: Sequence[str]) -> dict[str, list[StoredEvent]]: ...

    @abc.abstractmethod
    def set_statuses(self, changes: dict[str, ShipmentStatus], at: datetime) -> None:
        """Shipment id -> new status."""

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


class AbstractWebhookRepository(abc.ABC):
    @abc.abstractmethod
    def add_endpoint(self, endpoint: Endpoint) -> None: ...

    @abc.abstractmethod
    def get_endpoint(self, endpoint_id: str, account_id: str) -> Endpoint | None: ...

    @abc.abstractmethod
    def list_endpoints(self, account_id: str) -> list[Endpoint]: ...

    @abc.abstractmethod
    def delete_endpoint(self, endpoint_id: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def subscribers(self, account_ids: Sequence[str]) -> list[Endpoint]:
        """Live endpoints of these accounts."""

    @abc.abstractmethod
    def add_deliveries(self, pairs: Sequence[tuple[str, str]], at: datetime) -> None:
        """Create pending deliveries for (endpoint id, event id) pairs; repeats are ignored."""

    @abc.abstractmethod
    def claim_due(self, now: datetime, limit: int) -> list[DueDelivery]:
        """Lock pending deliveries whose time has come, skipping rows others hold."""

    @abc.abstractmethod
    def record_attempt(
        self,
        delivery_id: str,
        *,
        status: DeliveryStatus,
        attempts: int,
        next_attempt_at: datetime | None,
        response_status: int | None,
        error: str | None,
        at: datetime,
    ) -> None: ...

    @abc.abstractmethod
    def set_failing(self, endpoint_id: str, failing: bool) -> None: ...

    @abc.abstractmethod
    def list_deliveries(self, endpoint_id: str, limit: int) -> list[Delivery]: ...

    @abc.abstractmethod
    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None: ...


class TrackingUnitOfWork(AccountsUnitOfWork):
    tracking: AbstractTrackingRepository
    webhooks: AbstractWebhookRepository
    outbox: AbstractOutbox

"""Ports of the webhooks capability: endpoint and delivery storage, and their unit of work."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.webhooks.model import DeliveryStatus, Endpoint
from ewtp.services.accounts import AccountsUnitOfWork
from ewtp.services.webhooks.outbox import AbstractOutbox, OutboxEvent

__all__ = ["AbstractWebhookRepository", "Delivery", "DueDelivery", "WebhooksUnitOfWork"]


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
    def list_deliveries(
        self,
        endpoint_id: str,
        limit: int,
        *,
        status: DeliveryStatus | None = None,
        after: Delivery | None = None,
    ) -> list[Delivery]:
        """Newest first (ties by id); only `status` if given, and only those listed after
        `after` (a delivery of this endpoint) if given."""

    @abc.abstractmethod
    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None: ...

    @abc.abstractmethod
    def prune_history(self, before: datetime, limit: int) -> tuple[int, int]:
        """Delete up to `limit` ended deliveries created before `before`, then up to `limit`
        dispatched events of then with no delivery left; returns the two counts.

        Pending deliveries and undispatched events are never deleted, whatever their age;
        rows another worker holds are skipped.
        """


class WebhooksUnitOfWork(AccountsUnitOfWork):
    webhooks: AbstractWebhookRepository
    outbox: AbstractOutbox

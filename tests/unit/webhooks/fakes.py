"""In-memory fakes of the webhooks ports: the outbox, endpoints and deliveries."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ewtp.domain.webhooks.model import EVENT_TYPES, DeliveryStatus, Endpoint
from ewtp.services.webhooks.outbox import AbstractOutbox, OutboxEvent
from ewtp.services.webhooks.ports import AbstractWebhookRepository, Delivery, DueDelivery

__all__ = ["FakeOutbox", "FakeWebhookRepository"]

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


class FakeOutbox(AbstractOutbox):
    """Events in insertion order; `created_at` comes from `clock`, as the SQL outbox's."""

    def __init__(self, clock: Callable[[], datetime] = lambda: EPOCH) -> None:
        self.clock = clock
        self.events: dict[str, OutboxEvent] = {}
        self.dispatched: dict[str, datetime] = {}
        self.pruned = 0  # events deleted by `prune_history`, so ids are never reused

    def add(
        self,
        *,
        account_id: str,
        event_type: str,
        shipment_id: str,
        payload: dict[str, Any],
        occurred_at: datetime,
    ) -> str:
        if event_type not in EVENT_TYPES:
            raise ValueError(f"unknown webhook event type {event_type!r}")
        event_id = f"evt_{len(self.events) + self.pruned + 1:032x}"
        self.events[event_id] = OutboxEvent(
            event_id, account_id, event_type, shipment_id, payload, occurred_at, self.clock()
        )
        return event_id

    def claim_undispatched(self, limit: int) -> list[OutboxEvent]:
        waiting = [e for e in self.events.values() if e.id not in self.dispatched]
        return sorted(waiting, key=lambda e: e.created_at)[:limit]

    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None:
        self.dispatched.update(dict.fromkeys(event_ids, at))


class FakeWebhookRepository(AbstractWebhookRepository):
    """Endpoints (deleted ones kept, as the SQL store keeps them) and their deliveries."""

    def __init__(self, outbox: FakeOutbox) -> None:
        self.outbox = outbox
        self.endpoints: dict[str, Endpoint] = {}
        self.deleted: dict[str, datetime] = {}
        self.deliveries: dict[str, Delivery] = {}
        self.made = 0

    def add_endpoint(self, endpoint: Endpoint) -> None:
        self.endpoints[endpoint.id] = endpoint

    def get_endpoint(self, endpoint_id: str, account_id: str) -> Endpoint | None:
        found = self.endpoints.get(endpoint_id)
        live = found and found.account_id == account_id and endpoint_id not in self.deleted
        return found if live else None

    def list_endpoints(self, account_id: str) -> list[Endpoint]:
        return sorted(self.subscribers([account_id]), key=lambda e: (e.created_at, e.id))

    def delete_endpoint(self, endpoint_id: str, at: datetime) -> None:
        self.deleted[endpoint_id] = at
        for d in self.deliveries.values():
            if d.endpoint_id == endpoint_id and d.status is DeliveryStatus.PENDING:
                failed = replace(d, status=DeliveryStatus.FAILED, last_error="endpoint deleted")
                self.deliveries[d.id] = failed

    def subscribers(self, account_ids: Sequence[str]) -> list[Endpoint]:
        return [
            e
            for e in self.endpoints.values()
            if e.account_id in account_ids and e.id not in self.deleted
        ]

    def add_deliveries(self, pairs: Sequence[tuple[str, str]], at: datetime) -> None:
        have = {(d.endpoint_id, d.event_id) for d in self.deliveries.values()}
        for endpoint_id, event_id in pairs:
            if (endpoint_id, event_id) in have:
                continue
            have.add((endpoint_id, event_id))
            self.made += 1
            delivery_id = f"dlv_{self.made:06d}"
            event_type = self.outbox.events[event_id].event_type
            self.deliveries[delivery_id] = Delivery(
                delivery_id, endpoint_id, event_id, event_type, DeliveryStatus.PENDING, 0, at,
                None, None, None, at, None,
            )  # fmt: skip

    def claim_due(self, now: datetime, limit: int) -> list[DueDelivery]:
        due = [
            d
            for d in self.deliveries.values()
            if d.status is DeliveryStatus.PENDING
            and d.next_attempt_at is not None
            and d.next_attempt_at <= now
            and d.endpoint_id not in self.deleted
        ]
        due.sort(key=lambda d: (d.next_attempt_at or now, d.id))
        return [
            DueDelivery(
                d.id, d.attempts, self.endpoints[d.endpoint_id], self.outbox.events[d.event_id]
            )
            for d in due[:limit]
        ]

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
    ) -> None:
        self.deliveries[delivery_id] = replace(
            self.deliveries[delivery_id],
            status=status,
            attempts=attempts,
            next_attempt_at=next_attempt_at,
            last_attempt_at=at,
            response_status=response_status,
            last_error=(error or None) and error[:500],
            delivered_at=at if status is DeliveryStatus.SUCCEEDED else None,
        )

    def set_failing(self, endpoint_id: str, failing: bool) -> None:
        self.endpoints[endpoint_id] = replace(self.endpoints[endpoint_id], failing=failing)

    def list_deliveries(
        self,
        endpoint_id: str,
        limit: int,
        *,
        status: DeliveryStatus | None = None,
        after: Delivery | None = None,
    ) -> list[Delivery]:
        def order(d: Delivery) -> tuple[float, str]:
            return (-d.created_at.timestamp(), d.id)

        found = [
            d
            for d in self.deliveries.values()
            if d.endpoint_id == endpoint_id
            and (status is None or d.status is status)
            and (after is None or order(d) > order(after))
        ]
        return sorted(found, key=order)[:limit]

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        found = self.deliveries.get(delivery_id)
        return found if found and found.endpoint_id == endpoint_id else None

    def prune_history(self, before: datetime, limit: int) -> tuple[int, int]:
        ended = [
            d.id
            for d in self.deliveries.values()
            if d.created_at < before and d.status is not DeliveryStatus.PENDING
        ][:limit]
        for delivery_id in ended:
            del self.deliveries[delivery_id]
        kept = {d.event_id for d in self.deliveries.values()}
        idle = [
            e.id
            for e in self.outbox.events.values()
            if e.created_at < before and e.id in self.outbox.dispatched and e.id not in kept
        ][:limit]
        for event_id in idle:
            del self.outbox.events[event_id]
            del self.outbox.dispatched[event_id]
            self.outbox.pruned += 1
        return len(ended), len(idle)

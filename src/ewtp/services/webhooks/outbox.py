"""The transactional outbox port: webhook events are rows written beside the state change.

A use case that changes state calls `uow.outbox.add(...)` before `uow.commit()`, so the
event commits or rolls back with the change. The delivery worker reads the rows later; a
crash between commit and delivery only delays the event, it cannot lose it.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["AbstractOutbox", "NewOutboxEvent", "OutboxEvent", "envelope"]


@dataclass(frozen=True, slots=True)
class NewOutboxEvent:
    account_id: str
    event_type: str
    shipment_id: str
    payload: dict[str, Any]
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    id: str
    account_id: str
    event_type: str
    shipment_id: str | None
    payload: dict[str, Any]
    occurred_at: datetime
    created_at: datetime


def envelope(event: OutboxEvent) -> dict[str, Any]:
    """The JSON body a receiver gets; `id` is stable across retries, for deduplication."""
    return {
        "id": event.id,
        "type": event.event_type,
        "created_at": event.created_at.isoformat(),
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.payload,
    }


class AbstractOutbox(abc.ABC):
    """Writes events in the caller's transaction and hands them to the worker."""

    @abc.abstractmethod
    def add(
        self,
        *,
        account_id: str,
        event_type: str,
        shipment_id: str,
        payload: dict[str, Any],
        occurred_at: datetime,
    ) -> str:
        """Record one event; returns its id."""

    def add_many(self, events: Sequence[NewOutboxEvent]) -> list[str]:
        """Record several events at once (adapters may override with a bulk insert)."""
        return [
            self.add(
                account_id=e.account_id,
                event_type=e.event_type,
                shipment_id=e.shipment_id,
                payload=e.payload,
                occurred_at=e.occurred_at,
            )
            for e in events
        ]

    @abc.abstractmethod
    def claim_undispatched(self, limit: int) -> list[OutboxEvent]:
        """Lock up to `limit` events not yet fanned out to endpoints (skipping locked ones)."""

    @abc.abstractmethod
    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None: ...

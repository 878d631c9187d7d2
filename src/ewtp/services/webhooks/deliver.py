"""Use case `deliver_webhooks`: fan outbox events out to endpoints, then send what is due.

At least once: a delivery row is marked succeeded only after the receiver answered 2xx,
in the same transaction that held its lock. A worker killed in between leaves the row
pending, so it is sent again; receivers deduplicate on the event `id`.
"""

from __future__ import annotations

import abc
import json
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.webhooks.model import (
    SIGNATURE_HEADER,
    DeliveryStatus,
    next_attempt_at,
    signature_header,
)
from ewtp.services.webhooks.outbox import envelope
from ewtp.services.webhooks.ports import WebhooksUnitOfWork
from ewtp.services.webhooks.prune import prune_webhook_history

__all__ = [
    "AbstractWebhookSender",
    "SendResult",
    "WorkerStats",
    "deliver_due",
    "dispatch_outbox",
    "run_worker",
]

log = logging.getLogger("ewtp.worker")
DISPATCH_BATCH = 500
DELIVERY_BATCH = 20
PRUNE_EVERY = timedelta(hours=1)
PRUNE_CHUNKS_PER_PASS = 4


@dataclass(frozen=True, slots=True)
class SendResult:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class AbstractWebhookSender(abc.ABC):
    """Posts one signed body; never raises for network or HTTP failures."""

    @abc.abstractmethod
    def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult: ...


@dataclass(slots=True)
class WorkerStats:
    dispatched: int = 0
    succeeded: int = 0
    retried: int = 0
    failed: int = 0


def dispatch_outbox(uow: WebhooksUnitOfWork, now: datetime, limit: int = DISPATCH_BATCH) -> int:
    """Create one pending delivery per (subscribed endpoint, event); returns events handled."""
    with uow:
        events = uow.outbox.claim_undispatched(limit)
        if not events:
            return 0
        endpoints = uow.webhooks.subscribers(sorted({e.account_id for e in events}))
        pairs = [
            (endpoint.id, event.id)
            for event in events
            for endpoint in endpoints
            if endpoint.account_id == event.account_id and event.event_type in endpoint.events
        ]
        uow.webhooks.add_deliveries(pairs, now)
        uow.outbox.mark_dispatched([e.id for e in events], now)
        uow.commit()
        return len(events)


def deliver_due(
    uow: WebhooksUnitOfWork,
    sender: AbstractWebhookSender,
    clock: Callable[[], datetime],
    schedule: Sequence[int],
    limit: int = DELIVERY_BATCH,
) -> WorkerStats:
    """Send the deliveries that are due, holding their locks until each result is recorded."""
    stats = WorkerStats()
    with uow:
        for due in uow.webhooks.claim_due(clock(), limit):
            body = json.dumps(envelope(due.event), separators=(",", ":")).encode()
            sent_at = clock()
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: signature_header(
                    due.endpoint.secret, int(sent_at.timestamp()), body
                ),
                "Ewtp-Event-Id": due.event.id,
                "Ewtp-Event-Type": due.event.event_type,
            }
            result = sender.send(due.endpoint.url, body, headers)
            attempts = due.attempts + 1
            if result.ok:
                status, retry_at = DeliveryStatus.SUCCEEDED, None
                stats.succeeded += 1
                if due.endpoint.failing:
                    uow.webhooks.set_failing(due.endpoint.id, False)
            else:
                retry_at = next_attempt_at(schedule, attempts, sent_at)
                status = DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED
                if retry_at is None:
                    stats.failed += 1
                    uow.webhooks.set_failing(due.endpoint.id, True)
                else:
                    stats.retried += 1
            uow.webhooks.record_attempt(
                due.delivery_id,
                status=status,
                attempts=attempts,
                next_attempt_at=retry_at,
                response_status=result.status_code,
                error=result.error,
                at=sent_at,
            )
        uow.commit()
    return stats


def run_worker(
    uow_factory: Callable[[], WebhooksUnitOfWork],
    sender: AbstractWebhookSender,
    clock: Callable[[], datetime],
    schedule: Sequence[int],
    stop: threading.Event,
    poll_seconds: float,
    retention: timedelta | None = None,
    unavailable: tuple[type[Exception], ...] = (),
) -> None:
    """Loop until `stop` is set: dispatch, deliver, and sleep only when there was nothing.

    With a `retention`, history older than it is pruned at start and then hourly, a few
    chunks per pass so deliveries keep flowing while a backlog is worked off.
    `unavailable` are the storage's errors (the database is away): the worker waits and
    retries with one line per outage. Anything else is a bug: it is logged with its
    traceback, and the worker keeps serving.
    """
    failing = False
    prune_at = clock()
    while not stop.is_set():
        try:
            dispatched = dispatch_outbox(uow_factory(), clock())
            stats = deliver_due(uow_factory(), sender, clock, schedule)
            if retention is not None and clock() >= prune_at:
                pruned = prune_webhook_history(
                    uow_factory, clock(), retention, max_chunks=PRUNE_CHUNKS_PER_PASS
                )
                if pruned.deliveries or pruned.events:
                    log.info(
                        "pruned %d webhook deliveries and %d events older than %s",
                        pruned.deliveries, pruned.events, retention,
                    )  # fmt: skip
                prune_at = clock() + PRUNE_EVERY if pruned.done else clock()
        except unavailable as exc:  # a database blip must not kill the worker
            if not failing:  # one line per outage, not one per poll
                log.warning("webhook worker paused: database unavailable (%s); retrying", exc)
            failing = True
            stop.wait(poll_seconds)
            continue
        except Exception:
            log.exception("webhook worker pass failed; retrying")
            stop.wait(poll_seconds)
            continue
        if failing:
            log.warning("webhook worker resumed")
            failing = False
        busy = dispatched or stats.succeeded or stats.retried or stats.failed
        if not busy:
            stop.wait(poll_seconds)

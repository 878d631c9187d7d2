"""Use case `prune_webhook_history`: forget webhook traffic older than the retention.

At hub scale every scan of a subscribed merchant writes an outbox row and a delivery, tens
of millions a day; kept forever they would outgrow everything else in the database. What
a merchant still needs is recent history (`GET /v1/webhooks/{id}/deliveries`, retries of
a failed delivery), so ended deliveries and the dispatched events left without any are
deleted once older than `EWTP_WEBHOOK_RETENTION_DAYS` (30 by default, as long as the
retry schedule's last try and then some). A delivery still pending, or an event not yet
fanned out, is kept whatever its age: deleting it would lose a message.

The work goes in short transactions of `chunk` rows, so it never holds locks for long
and a stop loses nothing done. `ewtp webhooks prune` runs it to the end; the worker runs
a few chunks at a time between deliveries, hourly once it has caught up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.services.webhooks.ports import WebhooksUnitOfWork

__all__ = ["PRUNE_CHUNK", "Pruned", "prune_webhook_history"]

PRUNE_CHUNK = 5_000


@dataclass(slots=True)
class Pruned:
    deliveries: int = 0
    events: int = 0
    done: bool = False  # False: stopped at `max_chunks` with rows left to prune


def prune_webhook_history(
    uow_factory: Callable[[], WebhooksUnitOfWork],
    now: datetime,
    keep: timedelta,
    chunk: int = PRUNE_CHUNK,
    max_chunks: int | None = None,
) -> Pruned:
    """Delete ended deliveries and delivered events created before `now - keep`."""
    before = now - keep
    total = Pruned()
    rounds = 0
    while max_chunks is None or rounds < max_chunks:
        rounds += 1
        with uow_factory() as uow:
            deliveries, events = uow.webhooks.prune_history(before, chunk)
            uow.commit()
        total.deliveries += deliveries
        total.events += events
        if deliveries < chunk and events < chunk:
            total.done = True
            break
    return total

"""Pruning webhook history: only ended traffic older than the retention goes.

The same history is pruned three ways (the use case in small chunks, `ewtp webhooks
prune`, and the worker's loop) and must end the same: pending deliveries and events not
yet fanned out survive whatever their age, an event goes only with its last delivery.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from ewtp.adapters.db.tables.tracking import OutboxEventRow, WebhookDeliveryRow
from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox
from ewtp.adapters.webhooks.sender import HttpxWebhookSender, SsrfGuard
from ewtp.domain.webhooks.model import EVENT_TYPES, DeliveryStatus, Endpoint
from ewtp.services.webhooks.deliver import run_worker
from ewtp.services.webhooks.outbox import NewOutboxEvent
from ewtp.services.webhooks.prune import prune_webhook_history
from integration.tracking.conftest import NOW, Db

OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=2)
KEEP = timedelta(days=30)
FAR = NOW + timedelta(days=365)  # a pending retry not due during the test


def _history(db: Db) -> dict[str, str]:
    """Events and deliveries in every state; returns names -> ids."""
    account = db.account("M").account
    first = Endpoint("ep-1-" + account.id[:8], account.id, "https://a.example.com/h", EVENT_TYPES,
                     "whsec_1", OLD)  # fmt: skip
    second = Endpoint("ep-2-" + account.id[:8], account.id, "https://b.example.com/h",
                      EVENT_TYPES, "whsec_2", OLD)  # fmt: skip
    with db.uow() as uow:
        uow.webhooks.add_endpoint(first)
        uow.webhooks.add_endpoint(second)
        uow.commit()
    plan = {  # event -> (created at, [(endpoint, final status)] or None if undispatched)
        "old_succeeded": (OLD, [(first, DeliveryStatus.SUCCEEDED)]),
        "old_failed": (OLD, [(first, DeliveryStatus.FAILED)]),
        "old_pending": (OLD, [(first, DeliveryStatus.PENDING)]),
        "old_half_done": (OLD, [(first, DeliveryStatus.SUCCEEDED),
                                (second, DeliveryStatus.PENDING)]),
        "old_no_endpoint": (OLD, []),
        "old_undispatched": (OLD, None),
        "recent_succeeded": (RECENT, [(first, DeliveryStatus.SUCCEEDED)]),
    }  # fmt: skip
    ids: dict[str, str] = {}
    for name, (at, deliveries) in plan.items():
        with db.factory() as session:
            (event_id,) = SqlAlchemyOutbox(session, clock=lambda at=at: at).add_many(
                [NewOutboxEvent(account.id, "tracking.updated", "shp", {"n": name}, at)]
            )
            session.commit()
        ids[name] = event_id
        if deliveries is None:
            continue
        with db.uow() as uow:
            uow.webhooks.add_deliveries([(ep.id, event_id) for ep, _ in deliveries], at)
            uow.outbox.mark_dispatched([event_id], at)
            uow.commit()
        for ep, status in deliveries:
            with db.factory() as session:
                delivery_id = session.scalar(
                    select(WebhookDeliveryRow.id).where(
                        WebhookDeliveryRow.event_id == event_id,
                        WebhookDeliveryRow.endpoint_id == ep.id,
                    )
                )
            with db.uow() as uow:
                uow.webhooks.record_attempt(
                    str(delivery_id), status=status, attempts=1,
                    next_attempt_at=FAR if status is DeliveryStatus.PENDING else None,
                    response_status=500, error=None, at=at,
                )  # fmt: skip
                uow.commit()
    return ids


def _left(db: Db, ids: dict[str, str]) -> tuple[set[str], set[tuple[str, str]]]:
    name_of = {v: k for k, v in ids.items()}
    with db.factory() as session:
        events = {name_of[i] for i in session.scalars(select(OutboxEventRow.id)) if i in name_of}
        deliveries = {
            (name_of[e], str(status))
            for e, status in session.execute(
                select(WebhookDeliveryRow.event_id, WebhookDeliveryRow.status)
            )
            if e in name_of
        }
    return events, deliveries


EXPECTED_EVENTS = {"old_pending", "old_half_done", "old_undispatched", "recent_succeeded"}
EXPECTED_DELIVERIES = {
    ("old_pending", "pending"),
    ("old_half_done", "pending"),
    ("recent_succeeded", "succeeded"),
}


def _by_worker(db: Db) -> None:
    stop = threading.Event()

    def unavailable(request: httpx.Request) -> httpx.Response:
        return httpx.Response(503)  # the fanned-out event stays pending, to retry later

    sender = HttpxWebhookSender(SsrfGuard(allow_private=True), httpx.MockTransport(unavailable))
    thread = threading.Thread(
        target=run_worker,
        args=(db.uow, sender, lambda: NOW, (60,), stop, 0.05, KEEP),
    )
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with db.factory() as session:
                if session.get(OutboxEventRow, _WATCH[0]) is None:
                    break
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(10)


_WATCH: list[str] = []


@pytest.mark.parametrize("how", ["use case", "cli", "worker"])
def test_pruning_keeps_pending_and_recent_traffic(db: Db, how: str, tmp_path: Path) -> None:
    ids = _history(db)
    if how == "use case":
        pruned = prune_webhook_history(db.uow, NOW, KEEP, chunk=2)
        assert (pruned.deliveries, pruned.events, pruned.done) == (3, 3, True)
    elif how == "cli":  # against the real clock: OLD is 40 days before NOW, RECENT 2
        env = {**os.environ, "EWTP_DATABASE_URL": db.url, "EWTP_VAR_DIR": str(tmp_path)}
        done = subprocess.run(
            [sys.executable, "-m", "ewtp", "webhooks", "prune", "--keep-days",
             str((datetime.now(UTC) - RECENT).days + 5), "--format", "json"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        report = json.loads(done.stdout)
        assert (report["deliveries"], report["events"]) == (3, 3)
    else:
        _WATCH[:] = [ids["old_no_endpoint"]]
        _by_worker(db)
        # The worker also fans the waiting event out; its deliveries are pending.
        assert _left(db, ids) == (EXPECTED_EVENTS, {*EXPECTED_DELIVERIES,
                                                    ("old_undispatched", "pending")})  # fmt: skip
        return
    assert _left(db, ids) == (EXPECTED_EVENTS, EXPECTED_DELIVERIES)


def test_pruning_in_chunks_stops_where_asked_and_resumes(db: Db) -> None:
    ids = _history(db)
    first = prune_webhook_history(db.uow, NOW, KEEP, chunk=1, max_chunks=1)
    assert (first.deliveries, first.events, first.done) == (1, 1, False)
    rest = prune_webhook_history(db.uow, NOW, KEEP, chunk=1)
    assert (first.deliveries + rest.deliveries, first.events + rest.events) == (3, 3)
    assert _left(db, ids) == (EXPECTED_EVENTS, EXPECTED_DELIVERIES)

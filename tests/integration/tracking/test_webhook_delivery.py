"""The outbox worker against the real database, with receivers as httpx.MockTransport."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select

from ewtp.adapters.db.tables.tracking import WebhookEndpointRow
from ewtp.adapters.webhooks.sender import HttpxWebhookSender, SsrfGuard
from ewtp.domain.tracking.scans import RawEvent
from ewtp.domain.webhooks.model import DeliveryStatus, Endpoint, verify
from ewtp.services.tracking.ingest_events import ingest_events
from ewtp.services.webhooks import manage as svc
from ewtp.services.webhooks.deliver import deliver_due, dispatch_outbox
from integration.tracking.conftest import NOW, Db
from integration.tracking.shipments import BOOKED_AT, add_shipments

GUARD = SsrfGuard(allow_private=True)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Receiver:
    """Answers with the next status in `answers` (the last one repeats) and keeps requests."""

    def __init__(self, *answers: int) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        code = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return httpx.Response(code)


def run_once(
    db: Db, receiver: Receiver, clock: Clock, schedule: tuple[int, ...] = (60, 300)
) -> None:
    dispatch_outbox(db.uow(), clock())
    sender = HttpxWebhookSender(GUARD, transport=httpx.MockTransport(receiver))
    deliver_due(db.uow(), sender, clock, schedule)


def scan(db: Db, number: str, code: str, hour: float) -> None:
    ingest_events(db.uow(), [RawEvent(number, code, BOOKED_AT + timedelta(hours=hour), "HGH")], NOW)


def register(
    db: Db, account_id: str, events: list[str], url: str = "http://127.0.0.1:9/h"
) -> Endpoint:
    return svc.create_endpoint(db.uow(), GUARD, account_id, url, events, NOW)


def test_a_signed_event_reaches_only_its_merchants_subscribed_endpoint(db: Db) -> None:
    alice = db.account("Alice").account
    bob = db.account("Bob").account
    mine = register(db, alice.id, ["tracking.updated"])
    register(db, bob.id, ["tracking.updated"])
    (number,) = add_shipments(db.factory, alice.id, [15])
    scan(db, number, "accepted", 0)
    receiver, clock = Receiver(200), Clock()
    run_once(db, receiver, clock)
    assert len(receiver.requests) == 1  # Bob's endpoint got nothing
    request = receiver.requests[0]
    assert verify(
        mine.secret, request.headers["Ewtp-Signature"], request.content, int(NOW.timestamp())
    )
    body = json.loads(request.content)
    assert body["type"] == "tracking.updated"
    assert body["data"]["tracking_number"] == number
    assert body["data"]["status"] == "in_transit"
    assert request.headers["Ewtp-Event-Id"] == body["id"]
    deliveries, _ = svc.list_deliveries(db.uow(), alice.id, mine.id)
    assert [(d.status, d.attempts, d.response_status) for d in deliveries] == [
        (DeliveryStatus.SUCCEEDED, 1, 200)
    ]


def test_failures_back_off_on_schedule_then_mark_the_endpoint_failing(db: Db) -> None:
    merchant = db.account("M").account
    endpoint = register(db, merchant.id, ["tracking.updated"])
    (number,) = add_shipments(db.factory, merchant.id, [15])
    scan(db, number, "accepted", 0)
    receiver, clock = Receiver(500), Clock()
    run_once(db, receiver, clock)
    (first,), _ = svc.list_deliveries(db.uow(), merchant.id, endpoint.id)
    assert (first.status, first.attempts) == (DeliveryStatus.PENDING, 1)
    assert first.next_attempt_at == NOW + timedelta(seconds=60)
    clock.now += timedelta(seconds=59)
    run_once(db, receiver, clock)
    assert len(receiver.requests) == 1  # not due yet
    clock.now += timedelta(seconds=1)
    run_once(db, receiver, clock)
    clock.now += timedelta(seconds=300)
    run_once(db, receiver, clock)
    (last,), _ = svc.list_deliveries(db.uow(), merchant.id, endpoint.id)
    assert (last.status, last.attempts, last.next_attempt_at) == (DeliveryStatus.FAILED, 3, None)
    assert svc.get_endpoint(db.uow(), merchant.id, endpoint.id).failing
    ids = {json.loads(r.content)["id"] for r in receiver.requests}
    assert len(receiver.requests) == 3
    assert len(ids) == 1  # every retry carries the same event id
    svc.retry_delivery(db.uow(), merchant.id, endpoint.id, last.id, clock.now)
    healed = Receiver(200)
    run_once(db, healed, clock)
    (done,), _ = svc.list_deliveries(db.uow(), merchant.id, endpoint.id)
    assert done.status is DeliveryStatus.SUCCEEDED
    assert not svc.get_endpoint(db.uow(), merchant.id, endpoint.id).failing


def test_a_deleted_endpoint_receives_nothing_more(db: Db) -> None:
    merchant = db.account("M").account
    endpoint = register(db, merchant.id, ["tracking.updated"])
    (number,) = add_shipments(db.factory, merchant.id, [15])
    scan(db, number, "accepted", 0)
    svc.delete_endpoint(db.uow(), merchant.id, endpoint.id, NOW)
    receiver = Receiver(200)
    run_once(db, receiver, Clock())
    assert receiver.requests == []
    with db.factory() as s:
        assert s.scalars(select(WebhookEndpointRow.deleted_at)).one() is not None


def test_the_guard_refuses_private_urls_unless_allowed(db: Db) -> None:
    import pytest

    from ewtp.domain.errors import InvalidInput

    merchant = db.account("M").account
    strict = SsrfGuard(allow_private=False)
    for url in ("http://127.0.0.1:8080/h", "http://169.254.169.254/latest", "http://10.0.0.7/h",
                "ftp://example.com/h", "http://user:pw@93.184.215.14/h"):  # fmt: skip
        with pytest.raises(InvalidInput) as caught:
            svc.create_endpoint(db.uow(), strict, merchant.id, url, ["tracking.updated"], NOW)
        assert caught.value.field == "url"
    assert svc.list_endpoints(db.uow(), merchant.id) == []

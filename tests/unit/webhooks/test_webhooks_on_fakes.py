"""The webhook use cases on the in-memory fakes: fan-out, delivery, retries, history.

The signature is checked with `domain.webhooks.model.verify`; the retry schedule is
checked on the fakes and both databases in `tests/integration/tracking/test_webhook_delivery.py`.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from ewtp.domain.errors import Conflict, InvalidInput, NotFound
from ewtp.domain.webhooks.model import DeliveryStatus, verify
from ewtp.services.webhooks import manage
from ewtp.services.webhooks.deliver import (
    AbstractWebhookSender,
    SendResult,
    deliver_due,
    dispatch_outbox,
)
from ewtp.services.webhooks.prune import prune_webhook_history
from unit.tracking.fakes import FakeTracking

NOW = datetime.fromisoformat("2026-11-22T09:00:00+00:00")
SCHEDULE = (60, 300)


class HttpsOnly(manage.AbstractUrlGuard):
    def check(self, url: str) -> None:
        if not url.startswith("https://"):
            raise InvalidInput("must be https", field="url")


class Sender(AbstractWebhookSender):
    """Answers with the given statuses in turn (the last repeats) and keeps what it got."""

    def __init__(self, *answers: int) -> None:
        self.answers = list(answers)
        self.sent: list[tuple[str, bytes, dict[str, str]]] = []

    def send(self, url: str, body: bytes, headers: dict[str, str]) -> SendResult:
        self.sent.append((url, body, headers))
        code = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return SendResult(code, None if code < 400 else f"HTTP {code}")


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def endpoint(fake: FakeTracking, account: str, *events: str) -> str:
    made = manage.create_endpoint(
        fake.uow(), HttpsOnly(), account, f"https://{account}.example.com/h",
        list(events or ("tracking.updated",)), NOW,
    )  # fmt: skip
    return made.id


def event(fake: FakeTracking, account: str, event_type: str = "tracking.updated") -> str:
    with fake.uow() as uow:
        made = uow.outbox.add(
            account_id=account, event_type=event_type, shipment_id="ship-1",
            payload={"n": 1}, occurred_at=NOW,
        )  # fmt: skip
        uow.commit()
    return made


def run(fake: FakeTracking, sender: Sender, clock: Clock) -> None:
    dispatch_outbox(fake.uow(), clock())
    deliver_due(fake.uow(), sender, clock, SCHEDULE)


def test_an_event_fans_out_to_the_subscribed_endpoints_of_its_account_only() -> None:
    fake = FakeTracking()
    mine = endpoint(fake, "alice")
    endpoint(fake, "alice", "shipment.delivered")  # another type
    endpoint(fake, "bob")  # another account
    event_id = event(fake, "alice")
    assert dispatch_outbox(fake.uow(), NOW) == 1
    assert [(d.endpoint_id, d.event_id) for d in fake.webhooks.deliveries.values()] == [
        (mine, event_id)
    ]
    assert dispatch_outbox(fake.uow(), NOW) == 0  # dispatched once


def test_a_delivery_is_signed_and_recorded_as_succeeded() -> None:
    fake = FakeTracking()
    mine = endpoint(fake, "alice")
    event_id = event(fake, "alice")
    sender = Sender(204)
    run(fake, sender, Clock())
    ((url, body, headers),) = sender.sent
    assert url == "https://alice.example.com/h"
    secret = fake.webhooks.endpoints[mine].secret
    assert verify(secret, headers["Ewtp-Signature"], body, int(NOW.timestamp()))
    assert json.loads(body)["id"] == event_id == headers["Ewtp-Event-Id"]
    (done,), more = manage.list_deliveries(fake.uow(), "alice", mine)
    assert (done.status, done.attempts, done.response_status, more) == (
        DeliveryStatus.SUCCEEDED, 1, 204, False,
    )  # fmt: skip


def test_the_guard_refuses_an_endpoint_and_nothing_is_stored() -> None:
    fake = FakeTracking()
    with pytest.raises(InvalidInput) as caught:
        manage.create_endpoint(
            fake.uow(), HttpsOnly(), "alice", "http://10.0.0.7/h", ["tracking.updated"], NOW
        )
    assert caught.value.field == "url"
    with pytest.raises(InvalidInput) as caught:
        manage.create_endpoint(
            fake.uow(), HttpsOnly(), "alice", "https://a.example.com/h", ["nope"], NOW
        )
    assert fake.webhooks.endpoints == {}


def test_a_delivery_not_tried_yet_cannot_be_retried_and_others_are_not_found() -> None:
    fake = FakeTracking()
    mine = endpoint(fake, "alice")
    event(fake, "alice")
    dispatch_outbox(fake.uow(), NOW)
    (waiting,) = fake.webhooks.deliveries.values()
    with pytest.raises(Conflict):
        manage.retry_delivery(fake.uow(), "alice", mine, waiting.id, NOW)
    with pytest.raises(NotFound):
        manage.retry_delivery(fake.uow(), "bob", mine, waiting.id, NOW)  # not bob's endpoint


def test_deliveries_page_newest_first() -> None:
    fake = FakeTracking()
    mine = endpoint(fake, "alice")
    for minute in range(5):
        event(fake, "alice")
        dispatch_outbox(fake.uow(), NOW + timedelta(minutes=minute))
    first, more = manage.list_deliveries(fake.uow(), "alice", mine, 2)
    second, _ = manage.list_deliveries(fake.uow(), "alice", mine, 2, starting_after=first[-1].id)
    rest, done = manage.list_deliveries(fake.uow(), "alice", mine, 2, starting_after=second[-1].id)
    minutes = [int((d.created_at - NOW).total_seconds() // 60) for d in first + second + rest]
    assert minutes == [4, 3, 2, 1, 0]
    assert (more, done) == (True, False)


def test_a_deleted_endpoint_gets_nothing_and_its_pending_deliveries_end() -> None:
    fake = FakeTracking()
    mine = endpoint(fake, "alice")
    event(fake, "alice")
    dispatch_outbox(fake.uow(), NOW)
    manage.delete_endpoint(fake.uow(), "alice", mine, NOW)
    sender = Sender(200)
    run(fake, sender, Clock())
    assert sender.sent == []
    (ended,) = fake.webhooks.deliveries.values()
    assert (ended.status, ended.last_error) == (DeliveryStatus.FAILED, "endpoint deleted")
    assert manage.list_endpoints(fake.uow(), "alice") == []


def test_pruning_keeps_pending_deliveries_and_undispatched_events_whatever_their_age() -> None:
    fake = FakeTracking()
    endpoint(fake, "alice")
    old = Clock()
    old.now = NOW - timedelta(days=40)
    fake.outbox.clock = old
    delivered = [event(fake, "alice"), event(fake, "alice")]
    run(fake, Sender(200), old)
    pending_id = event(fake, "alice")
    dispatch_outbox(fake.uow(), old.now)
    idle_id = event(fake, "alice")
    pruned = prune_webhook_history(fake.uow, NOW, timedelta(days=30), chunk=1)
    assert (pruned.deliveries, pruned.events, pruned.done) == (2, 2, True)
    assert set(fake.outbox.events) == {pending_id, idle_id}
    assert not set(delivered) & set(fake.outbox.events)
    (kept,) = fake.webhooks.deliveries.values()
    assert (kept.event_id, kept.status) == (pending_id, DeliveryStatus.PENDING)

"""The tracking and webhook HTTP API in-process (TestClient), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from ewtp.adapters.db.tables.tracking import OutboxEventRow
from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.domain.s10 import make_s10
from ewtp.domain.webhooks.model import EVENT_TYPES, DeliveryStatus, Endpoint
from ewtp.services.webhooks.outbox import NewOutboxEvent
from integration.tracking.conftest import Db
from integration.tracking.network import load_builtin_network
from integration.tracking.shipments import BOOKED_AT, add_shipments


def at(hours: float) -> str:
    return (BOOKED_AT + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def client(db: Db) -> Iterator[TestClient]:
    settings = Settings(database_url=db.url, worker_in_process=False, webhook_allow_private=False)
    with TestClient(create_app(settings)) as c:
        yield c


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_ingest_needs_an_operator_key_and_reports_each_rejection(
    db: Db, client: TestClient
) -> None:
    merchant = db.account("M")
    operator = db.account("LGG hub", Role.OPERATOR)
    (number,) = add_shipments(db.factory, merchant.account.id, [15])
    events = [
        {"tracking_number": number, "code": "accepted", "occurred_at": at(0), "hub": "HGH"},
        {"tracking_number": number, "code": "accepted", "occurred_at": at(0), "hub": "HGH"},
        {
            "tracking_number": "LP000000016CN",
            "code": "accepted",
            "occurred_at": at(0),
            "hub": "HGH",
        },
    ]
    denied = client.post(
        "/v1/tracking/events", json={"events": events}, headers=bearer(merchant.plain)
    )
    assert denied.status_code == 403
    assert client.post("/v1/tracking/events", json={"events": events}).status_code == 401
    response = client.post(
        "/v1/tracking/events", json={"events": events}, headers=bearer(operator.plain)
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["accepted"], body["duplicates"], body["rejected"]) == (1, 1, 1)
    assert body["errors"][0]["index"] == 2
    assert body["errors"][0]["field"] == "tracking_number"
    too_many = client.post(
        "/v1/tracking/events", json={"events": events * 3334}, headers=bearer(operator.plain)
    )
    assert too_many.status_code == 422


def test_merchants_see_only_their_own_shipments_tracking(db: Db, client: TestClient) -> None:
    alice, bob = db.account("Alice"), db.account("Bob")
    operator = db.account("hub", Role.OPERATOR)
    numbers = add_shipments(db.factory, alice.account.id, [15])
    number, shipment_id = next(iter(numbers.items()))
    client.post(
        "/v1/tracking/events",
        json={"events": [
            {"tracking_number": number, "code": "departed", "occurred_at": at(3), "hub": "HGH"},
            {"tracking_number": number, "code": "accepted", "occurred_at": at(1), "hub": "HGH",
             "description": "handed in by Jane Doe, +32 470 12 34 56"},
        ]},
        headers=bearer(operator.plain),
    )  # fmt: skip
    mine = client.get(f"/v1/shipments/{shipment_id}/tracking", headers=bearer(alice.plain))
    assert mine.status_code == 200
    body = mine.json()
    assert body["status"] == "in_transit"
    assert [e["code"] for e in body["timeline"]] == ["accepted", "departed"]
    assert body["timeline"][0]["city"] == "Hangzhou"
    theirs = client.get(f"/v1/shipments/{shipment_id}/tracking", headers=bearer(bob.plain))
    assert theirs.status_code == 404
    public = client.get(f"/v1/track/{number}")
    assert public.status_code == 200
    text = public.text
    for private in ("Jane", "+32", shipment_id):
        assert private not in text
    assert set(public.json()) == {
        "tracking_number", "status", "promised_by", "expected_delivery", "delivered_at",
        "promise_at_risk", "route", "timeline",
    }  # fmt: skip
    assert set(public.json()["timeline"][0]) == {
        "status",
        "label",
        "reason",
        "occurred_at",
        "hub",
        "city",
    }
    assert client.get(f"/v1/track/{make_s10('LP', 77, 'CN')}").status_code == 404
    page = client.get(f"/track/{number}")
    assert page.status_code == 200
    assert 'id="timeline"' in page.text
    assert "Hangzhou" in page.text
    assert "Jane" not in page.text
    assert client.get("/track/XX").status_code == 422
    search = client.get("/track", params={"number": number.lower()}, follow_redirects=False)
    assert search.headers["location"] == f"/track/{number}"


def test_live_eta_flags_a_missed_promise_and_queues_its_webhook(db: Db, client: TestClient) -> None:
    load_builtin_network(db.factory)
    merchant = db.account("M")
    operator = db.account("hub", Role.OPERATOR)
    with db.uow() as uow:  # subscribe straight through the repository: the URL is private
        from ewtp.domain.webhooks.model import EVENT_TYPES, Endpoint
        from integration.tracking.conftest import NOW

        uow.webhooks.add_endpoint(
            Endpoint("ep1", merchant.account.id, "http://127.0.0.1:9/h", EVENT_TYPES, "s", NOW)
        )
        uow.commit()
    on_time, late = add_shipments(db.factory, merchant.account.id, [1, 2])
    before = client.get(f"/v1/track/{on_time}").json()
    assert before["expected_delivery"] is not None  # planned from the origin hub before any scan
    assert [s["hub"] for s in before["route"]] == ["HGH", "LGG"]
    response = client.post(
        "/v1/tracking/events",
        json={"events": [
            {"tracking_number": on_time, "code": "departed", "occurred_at": at(1), "hub": "HGH"},
            {"tracking_number": late, "code": "arrived", "occurred_at": at(5), "hub": "CGO"},
        ]},
        headers=bearer(operator.plain),
    )  # fmt: skip
    assert response.json()["accepted"] == 2
    fine = client.get(f"/v1/track/{on_time}").json()
    risky = client.get(f"/v1/track/{late}").json()
    assert fine["promise_at_risk"] is False
    assert fine["expected_delivery"] <= fine["promised_by"]
    assert risky["promise_at_risk"] is True
    assert risky["expected_delivery"] > risky["promised_by"]
    assert [s["state"] for s in risky["route"]] == ["current", "planned", "planned"]
    with db.factory() as s:
        kinds = s.scalars(select(OutboxEventRow.event_type).order_by(OutboxEventRow.event_type))
        assert list(kinds).count("shipment.promise_at_risk") == 1


def test_webhook_endpoints_are_managed_per_merchant(db: Db, client: TestClient) -> None:
    alice = db.account("Alice")
    refused = client.post(
        "/v1/webhooks",
        json={"url": "http://127.0.0.1:8080/hook", "events": ["tracking.updated"]},
        headers=bearer(alice.plain),
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "url"
    bad_event = client.post(
        "/v1/webhooks", json={"url": "http://93.184.215.14/h", "events": ["x.y"]},
        headers=bearer(alice.plain),
    )  # fmt: skip
    assert bad_event.status_code == 422
    assert bad_event.json()["errors"][0]["field"] == "events"
    plain = client.post(
        "/v1/webhooks", json={"url": "http://93.184.215.14/h", "events": ["tracking.updated"]},
        headers=bearer(alice.plain),
    )  # fmt: skip
    assert plain.status_code == 422
    assert plain.json()["errors"] == [
        {"field": "url", "reason": "must be an https:// URL (plain http is refused unless "
         "EWTP_WEBHOOK_ALLOW_HTTP=1)"}
    ]  # fmt: skip


def test_webhook_crud_with_private_urls_allowed(db: Db) -> None:
    settings = Settings(
        database_url=db.url,
        worker_in_process=False,
        webhook_allow_private=True,
        webhook_allow_http=True,
    )
    alice, bob = db.account("Alice"), db.account("Bob")
    with TestClient(create_app(settings)) as client:
        made = client.post(
            "/v1/webhooks",
            json={"url": "http://127.0.0.1:8080/hook", "events": ["tracking.updated"]},
            headers=bearer(alice.plain),
        )
        assert made.status_code == 201
        hook = made.json()
        assert hook["secret"].startswith("whsec_")
        path = f"/v1/webhooks/{hook['id']}"
        shown = client.get(path, headers=bearer(alice.plain)).json()
        assert "secret" not in shown
        assert shown["events"] == ["tracking.updated"]
        assert client.get(path, headers=bearer(bob.plain)).status_code == 404
        assert client.get("/v1/webhooks", headers=bearer(alice.plain)).json()["count"] == 1
        assert client.get("/v1/webhooks", headers=bearer(bob.plain)).json()["count"] == 0
        deliveries = client.get(f"{path}/deliveries", headers=bearer(alice.plain))
        assert deliveries.json() == {"data": [], "count": 0, "has_more": False}
        missing = client.post(f"{path}/deliveries/nope/retry", headers=bearer(alice.plain))
        assert missing.status_code == 404
        assert client.delete(path, headers=bearer(bob.plain)).status_code == 404
        assert client.delete(path, headers=bearer(alice.plain)).status_code == 204
        assert client.get(path, headers=bearer(alice.plain)).status_code == 404


def test_deliveries_are_listed_a_page_at_a_time_and_by_status(db: Db) -> None:
    settings = Settings(database_url=db.url, worker_in_process=False)
    alice = db.account("Alice")
    mine = Endpoint("ep-a-" + alice.account.id[:8], alice.account.id, "https://a.example.com/h",
                    EVENT_TYPES, "whsec_a", BOOKED_AT)  # fmt: skip
    other = Endpoint("ep-b-" + alice.account.id[:8], alice.account.id, "https://b.example.com/h",
                     EVENT_TYPES, "whsec_b", BOOKED_AT)  # fmt: skip
    with db.uow() as uow:
        uow.webhooks.add_endpoint(mine)
        uow.webhooks.add_endpoint(other)
        uow.commit()
    # Seven deliveries: five times, two of them shared (ties are ordered by id).
    times = [BOOKED_AT + timedelta(minutes=m) for m in (0, 1, 1, 2, 3, 3, 4)]
    statuses = {}
    for n, created in enumerate(times):
        with db.factory() as session:
            (event_id,) = SqlAlchemyOutbox(session, clock=lambda c=created: c).add_many(
                [NewOutboxEvent(alice.account.id, "tracking.updated", "shp", {"n": n}, created)]
            )
            session.commit()
        with db.uow() as uow:
            uow.webhooks.add_deliveries([(mine.id, event_id), (other.id, event_id)], created)
            uow.commit()
        with db.uow() as uow:
            for delivery in uow.webhooks.list_deliveries(mine.id, 100):
                if delivery.event_id == event_id:
                    status = DeliveryStatus.FAILED if n % 2 else DeliveryStatus.SUCCEEDED
                    uow.webhooks.record_attempt(
                        delivery.id, status=status, attempts=1, next_attempt_at=None,
                        response_status=500 if n % 2 else 200, error=None, at=created,
                    )  # fmt: skip
                    statuses[delivery.id] = (created, status.value)
            uow.commit()
    # The listing order, worked out here: newest first, ties by id.
    order = sorted(statuses, key=lambda i: (-statuses[i][0].timestamp(), i))
    path = f"/v1/webhooks/{mine.id}/deliveries"
    with TestClient(create_app(settings)) as client:
        pages, after = [], None
        while True:
            query = {"limit": 3, **({"starting_after": after} if after else {})}
            page = client.get(path, params=query, headers=bearer(alice.plain)).json()
            pages.append([d["id"] for d in page["data"]])
            if not page["has_more"]:
                break
            after = page["data"][-1]["id"]
        assert pages == [order[0:3], order[3:6], order[6:7]]
        failed = client.get(path, params={"status": "failed"}, headers=bearer(alice.plain))
        assert [d["id"] for d in failed.json()["data"]] == [
            i for i in order if statuses[i][1] == "failed"
        ]
        stray = client.get(path, params={"starting_after": "nope"}, headers=bearer(alice.plain))
        assert stray.status_code == 404
        assert stray.json()["errors"][0]["field"] == "starting_after"
        bad = client.get(path, params={"status": "lost"}, headers=bearer(alice.plain))
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "status"

"""Scans are checked before they are stored: hub, time, cancelled parcel, booking time.

Through the HTTP batch endpoint on SQLite and PostgreSQL, with the built-in network loaded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from integration.tracking.conftest import Db
from integration.tracking.network import load_builtin_network
from integration.tracking.shipments import BOOKED_AT, add_shipments


def iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


@pytest.fixture
def client(db: Db) -> Iterator[TestClient]:
    load_builtin_network(db.factory)
    settings = Settings(database_url=db.url, worker_in_process=False)
    with TestClient(create_app(settings)) as c:
        yield c


def post(client: TestClient, key: str, events: list[dict[str, str]]) -> dict[str, object]:
    response = client.post(
        "/v1/tracking/events", json={"events": events}, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def test_each_bad_scan_is_refused_with_its_reason_and_the_good_ones_kept(
    db: Db, client: TestClient
) -> None:
    merchant = db.account("M")
    operator = db.account("hub", Role.OPERATOR)
    numbers = list(add_shipments(db.factory, merchant.account.id, [21, 22, 23]))
    (cancelled,) = add_shipments(db.factory, merchant.account.id, [24], status="cancelled")
    now = datetime.now(UTC)
    events = [
        {"tracking_number": numbers[0], "code": "accepted", "occurred_at": iso(BOOKED_AT), "hub": "ZZZ"},
        {"tracking_number": numbers[0], "code": "accepted", "occurred_at": iso(BOOKED_AT), "hub": "HGH"},
        {"tracking_number": numbers[1], "code": "departed", "occurred_at": iso(now + timedelta(days=200)), "hub": "HGH"},
        {"tracking_number": numbers[1], "code": "accepted", "occurred_at": iso(now + timedelta(minutes=5)), "hub": "HGH"},
        {"tracking_number": cancelled, "code": "accepted", "occurred_at": iso(BOOKED_AT), "hub": "HGH"},
        # The final mile is run by national carriers: the destination country (BE) is its hub.
        {"tracking_number": numbers[2], "code": "delivered", "occurred_at": iso(BOOKED_AT + timedelta(hours=50)), "hub": "BE"},
        {"tracking_number": numbers[2], "code": "arrived", "occurred_at": iso(BOOKED_AT + timedelta(hours=40)), "hub": "BE"},
        {"tracking_number": numbers[2], "code": "delivered", "occurred_at": iso(BOOKED_AT + timedelta(hours=51)), "hub": "FR"},
    ]  # fmt: skip
    body = post(client, operator.plain, events)
    errors = {e["index"]: e for e in body["errors"]}  # type: ignore[attr-defined]
    assert {i: (e["field"], e["code"]) for i, e in errors.items()} == {
        0: ("hub", "unknown_hub"),
        2: ("occurred_at", "in_future"),
        4: ("tracking_number", "cancelled"),
        6: ("hub", "unknown_hub"),
        7: ("hub", "unknown_hub"),
    }
    assert "ZZZ" in errors[0]["reason"]
    assert (body["accepted"], body["rejected"]) == (3, 5)
    public = client.get(f"/v1/track/{numbers[0]}").json()
    assert [e["hub"] for e in public["timeline"]] == ["HGH"]


def test_a_scan_before_booking_is_stored_and_flagged(db: Db, client: TestClient) -> None:
    merchant = db.account("M")
    operator = db.account("hub", Role.OPERATOR)
    numbers = add_shipments(db.factory, merchant.account.id, [31])
    number, shipment_id = next(iter(numbers.items()))
    with db.factory() as session:
        session.add(ShipmentDetailRow(shipment_id=shipment_id, request={}, booked_at=BOOKED_AT))
        session.commit()
    early = iso(BOOKED_AT - timedelta(days=9))
    body = post(
        client, operator.plain,
        [{"tracking_number": number, "code": "accepted", "occurred_at": early, "hub": "HGH"}],
    )  # fmt: skip
    assert body["accepted"] == 1
    assert body["flags"] == [
        {"index": 0, "tracking_number": number, "code": "before_booking",
         "message": "scanned before the shipment was booked"}
    ]  # fmt: skip
    mine = client.get(
        f"/v1/shipments/{shipment_id}/tracking",
        headers={"Authorization": f"Bearer {merchant.plain}"},
    ).json()
    assert mine["timeline"][0]["anomaly"].startswith("before_booking")


def test_a_cancelled_parcel_shows_cancelled_with_no_route_and_no_eta(
    db: Db, client: TestClient
) -> None:
    merchant = db.account("M")
    (number,) = add_shipments(db.factory, merchant.account.id, [41], status="cancelled")
    public = client.get(f"/v1/track/{number}").json()
    assert public["status"] == "cancelled"
    assert (public["route"], public["expected_delivery"], public["promised_by"]) == ([], None, None)
    page = client.get(f"/track/{number}")
    assert page.status_code == 200
    assert "Cancelled" in page.text
    assert 'id="route"' not in page.text
    assert 'id="eta"' not in page.text

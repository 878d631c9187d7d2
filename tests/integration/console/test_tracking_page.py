"""The console's tracking page on SQLite and PostgreSQL: scans per minute drawn, tabled
and downloaded as `GET /v1/tracking/ingestion` counts them (and as the batch sent), the
refused scans kept with their reasons, anomalies, search by tracking number."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.domain.s10 import make_s10
from ewtp.services.accounts import create_account
from integration.tracking.network import load_builtin_network
from integration.tracking.shipments import BOOKED_AT, add_shipments
from support.console import OPERATOR_EMAIL, make_operator
from support.web import sign_in, sign_up

PAGES = ["/console/tracking", "/console/tracking/live", "/console/tracking/scans-per-minute.csv",
         "/console/tracking?number=LP000000014CN"]  # fmt: skip


@dataclass
class World:
    client: TestClient
    operator: dict[str, str]
    merchant: dict[str, str]
    numbers: list[str]


def iso(hours: float) -> str:
    return (BOOKED_AT + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")


@pytest.fixture
def world(db_url: str) -> Iterator[World]:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    load_builtin_network(factory)
    operator = make_operator(factory).plain
    merchant = create_account(SqlAlchemyUnitOfWork(factory), "Shop", Role.MERCHANT, BOOKED_AT)
    numbers = list(add_shipments(factory, merchant.account.id, [31, 32, 33]))
    engine.dispose()
    settings = Settings(database_url=db_url, worker_in_process=False, password_hash_fast=True)
    with TestClient(create_app(settings)) as c:
        yield World(c, {"Authorization": f"Bearer {operator}"},
                    {"Authorization": f"Bearer {merchant.plain}"}, numbers)  # fmt: skip


def test_ingestion_figures_agree_with_the_batch_and_the_api(world: World) -> None:
    client, n = world.client, world.numbers
    unknown = make_s10("LP", 999, "CN")
    events = [
        {"tracking_number": n[0], "code": "accepted", "occurred_at": iso(1), "hub": "HGH"},
        {"tracking_number": n[1], "code": "accepted", "occurred_at": iso(1), "hub": "HGH"},
        {"tracking_number": n[2], "code": "accepted", "occurred_at": iso(1), "hub": "HGH"},
        {"tracking_number": n[2], "code": "delivered", "occurred_at": iso(50), "hub": "BE"},
        # after delivery: stored, and flagged as an anomaly
        {"tracking_number": n[2], "code": "departed", "occurred_at": iso(51), "hub": "HGH"},
        {"tracking_number": n[0], "code": "departed", "occurred_at": iso(2), "hub": "ZZZ"},
        {"tracking_number": unknown, "code": "accepted", "occurred_at": iso(1), "hub": "HGH"},
        {"tracking_number": n[1], "code": "teleported", "occurred_at": iso(2), "hub": "HGH"},
    ]  # fmt: skip
    sent = client.post("/v1/tracking/events", json={"events": events}, headers=world.operator)
    assert sent.status_code == 200, sent.text
    api = client.get("/v1/tracking/ingestion", headers=world.operator).json()
    assert (api["accepted"], api["rejected"]) == (5, 3)  # as built above
    assert len(api["minutes"]) == 60
    assert sum(m["accepted"] for m in api["minutes"]) == 5
    assert {(r["tracking_number"], r["field"], r["code"]) for r in api["rejections"]} == {
        (n[0], "hub", "unknown_hub"), (unknown, "tracking_number", "unknown_tracking_number"),
        (n[1], "code", "invalid"),
    }  # fmt: skip
    assert all(r["reason"] for r in api["rejections"])
    flagged = [a for a in api["anomalies"] if a["tracking_number"] == n[2]]
    assert "departed" in [a["code"] for a in flagged]

    sign_in(client, OPERATOR_EMAIL)
    page = client.get("/console/tracking").text
    by_minute = {m["minute"][11:16]: m for m in api["minutes"]}
    bars = re.findall(r'<rect [^>]*data-series="(\w+)" data-label="([\d:]+)" data-value="([\d.]+)"',
                      page)  # fmt: skip
    assert len(bars) == 120
    for series, label, value in bars:  # the API was read a moment before: same minutes
        if label in by_minute:
            assert float(value) == by_minute[label][series], (series, label)
    drawn_total = sum(float(v) for s, _, v in bars if s == "accepted")
    assert drawn_total == 5
    assert '<p class="stat" id="accepted-hour">5</p>' in page
    rows = list(csv.DictReader(io.StringIO(
        client.get("/console/tracking/scans-per-minute.csv").text)))  # fmt: skip
    assert sum(int(r["accepted"]) for r in rows) == 5
    assert sum(int(r["rejected"]) for r in rows) == 3
    for code in ("unknown_hub", "unknown_tracking_number", "invalid"):
        assert f'<tr data-code="{code}">' in page

    found = client.get(f"/console/tracking?number={n[2].lower()}").text
    assert re.findall(r'<tr data-code="(\w+)">', found.split('id="parcel-events"')[1]
                      .split("</table>")[0]) == ["accepted", "delivered", "departed"]  # fmt: skip
    missing = client.get(f"/console/tracking?number={unknown}")
    assert "No parcel has this tracking number." in missing.text
    assert "unknown tracking number" in missing.text  # its refused scan is shown
    empty = client.get("/console/tracking?number=")
    assert empty.status_code == 422
    assert 'data-field="number"' in empty.text


def test_only_operators_see_ingestion(world: World) -> None:
    client = world.client
    assert client.get("/v1/tracking/ingestion", headers=world.merchant).status_code == 403
    assert client.get("/v1/tracking/ingestion?minutes=0", headers=world.operator).status_code == 422
    for path in PAGES:
        assert client.get(path, follow_redirects=False).status_code == 303, path
    sign_up(client, "owner@shop.example")
    for path in PAGES:
        assert client.get(path, follow_redirects=False).status_code == 403, path
    client.cookies.clear()
    sign_in(client, OPERATOR_EMAIL)
    for path in PAGES:
        assert client.get(path).status_code == 200, path

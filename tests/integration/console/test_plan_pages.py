"""Capacity plan pages on SQLite and PostgreSQL: the load factors drawn are the plan JSON's."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.api.app import create_app
from ewtp.config import Settings
from integration.tracking.network import load_builtin_network
from support.console import OPERATOR_EMAIL, make_operator
from support.web import sign_in, sign_up

PLAN = {
    "week": "2026-11-09",
    "forecast": [
        {"origin": "HGH", "destination": "FR", "ready_utc": "2026-11-11T02:00:00Z",
         "parcels": "1200", "kg": "1440", "m3": "9.6"},
        {"origin": "HGH", "destination": "DE", "ready_utc": "2026-11-12T08:00:00Z",
         "parcels": "300", "kg": "420", "m3": "2.5"},
    ],
}  # fmt: skip


@pytest.fixture
def client_and_key(db_url: str) -> Iterator[tuple[TestClient, str]]:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    load_builtin_network(factory)
    key = make_operator(factory).plain
    engine.dispose()
    settings = Settings(database_url=db_url, worker_in_process=False, password_hash_fast=True)
    with TestClient(create_app(settings)) as c:
        yield c, key


def test_a_plan_page_shows_the_json_load_factors(client_and_key: tuple[TestClient, str]) -> None:
    client, key = client_and_key
    auth = {"Authorization": f"Bearer {key}"}
    created = client.post("/v1/plans", json=PLAN, headers=auth)
    assert created.status_code == 202, created.text
    plan_id = created.json()["id"]
    job = client.get(f"/v1/plans/{plan_id}", headers=auth).json()
    assert job["status"] == "done", job
    expected = {d["id"]: d["load_factor"] for d in job["plan"]["departures"]
                if d["open"] and d["kg"] > 0}  # fmt: skip
    assert expected
    sign_up(client, "owner@shop.example")
    for path in ("/console/plans", f"/console/plans/{plan_id}"):
        assert client.get(path, follow_redirects=False).status_code == 403
    client.cookies.clear()
    sign_in(client, OPERATOR_EMAIL)
    assert plan_id in client.get("/console/plans").text
    page = client.get(f"/console/plans/{plan_id}").text
    drawn = re.findall(
        r'data-series="load_factor" data-label="([^"]+)" data-value="([0-9.]+)"', page
    )
    assert {k: float(v) for k, v in drawn} == expected
    assert f'id="gap">{job["plan"]["proof"]["relative_gap"]}<' in page
    assert job["plan"]["proof"]["status"] in page
    rows = csv.DictReader(io.StringIO(client.get(f"/console/plans/{plan_id}/loads.csv").text))
    assert {r["id"]: float(r["load_factor"]) for r in rows} == expected
    assert client.get("/console/plans/nope").status_code == 404

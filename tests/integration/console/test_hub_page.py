"""The hub page on SQLite and PostgreSQL: after sort scans are posted, its throughput
chart, table and CSV show what `GET /v1/hubs/LGG/kpis` answers for the same window."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.api.app import create_app
from ewtp.config import Settings
from integration.tracking.network import load_builtin_network
from support.console import OPERATOR_EMAIL, make_operator
from support.web import sign_in


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


def test_the_throughput_shown_is_the_kpis_json(client_and_key: tuple[TestClient, str]) -> None:
    client, key = client_and_key
    now = datetime.now(UTC)
    start = datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC)
    times = sorted({start + (now - start) * f for f in (0.0, 0.3, 0.9)})
    scans = [{"tracking_number": f"LP{i:09d}CN", "scanned_at": t.isoformat()}
             for i, t in enumerate(times * 2)]  # fmt: skip
    auth = {"Authorization": f"Bearer {key}"}
    posted = client.post("/v1/hubs/LGG/sort-decisions", json={"scans": scans}, headers=auth)
    assert posted.status_code == 200, posted.text
    sign_in(client, OPERATOR_EMAIL)
    page = client.get("/console/hubs/LGG")
    assert page.status_code == 200
    kpis = client.get(
        "/v1/hubs/LGG/kpis", params={"from": start.isoformat(), "to": datetime.now(UTC).isoformat()},
        headers=auth,
    ).json()  # fmt: skip
    expected = {r["hour_utc"][11:13]: r["decided"] for r in kpis["throughput"] if r["decided"]}
    assert sum(expected.values()) == len(scans)
    drawn = dict(re.findall(
        r'data-series="sorted_today" data-label="(\d\d)" data-value="([0-9.]+)"', page.text))  # fmt: skip
    assert {h: int(float(v)) for h, v in drawn.items() if float(v)} == expected
    rows = list(csv.DictReader(io.StringIO(client.get("/console/hubs/LGG/throughput.csv").text)))
    assert len(rows) == 24
    assert {r["hour_utc"][:2]: int(r["sorted_today"]) for r in rows if r["sorted_today"] != "0"} \
        == expected  # fmt: skip
    live = client.get("/console/hubs/LGG/live", headers={"HX-Request": "true"})
    assert live.text.startswith('<section id="hub-live"')
    assert 'hx-trigger="every 15s"' in live.text
    assert f'id="backlog">{kpis["backlog"]}<' in page.text
    assert client.get("/console/hubs/XXX").status_code == 404
    assert timedelta(0) <= datetime.now(UTC) - now < timedelta(minutes=5)

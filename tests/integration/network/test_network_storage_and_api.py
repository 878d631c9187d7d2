"""The network on SQLite and PostgreSQL: storage round trip and the HTTP API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.services.network.ports import load_network
from ewtp.services.network.routing import plan_route

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    yield made
    made.dispose()


def _seeded(engine: Engine) -> SqlAlchemyNetworkUnitOfWork:
    uow = SqlAlchemyNetworkUnitOfWork(make_session_factory(engine))
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 22))
    first = load_network(uow, files.name, files.hubs, files.services, files.zones, NOW)
    again = load_network(uow, files.name, files.hubs, files.services, files.zones, NOW)
    assert first.changed
    assert not again.changed
    return uow


def test_the_builtin_network_round_trips_exactly(engine: Engine) -> None:
    uow = _seeded(engine)
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 22))
    with uow:
        snap = uow.network.snapshot()
    assert snap is not None
    assert sorted(snap.services, key=lambda s: s.id) == sorted(files.services, key=lambda s: s.id)
    assert sorted(snap.hubs, key=lambda h: h.code) == sorted(files.hubs, key=lambda h: h.code)
    assert sorted(snap.zones, key=lambda z: z.country) == sorted(
        files.zones, key=lambda z: z.country
    )
    plan = plan_route(uow, "HGH", "BE", datetime(2026, 11, 23, 2, tzinfo=UTC))
    assert plan.promise_met


def test_the_api_lists_the_network_and_searches_routes(db_url: str, engine: Engine) -> None:
    _seeded(engine)
    app = create_app(Settings(database_url=db_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        _check_api(client)


def _check_api(client: TestClient) -> None:
    hubs = client.get("/v1/network/hubs").json()
    assert {"HGH", "CGO", "HKG", "KUL", "DXB", "SVO", "LGG"} <= {h["code"] for h in hubs["data"]}
    zones = client.get("/v1/network/zones").json()
    assert zones["count"] == 28
    assert client.get("/v1/network/services").json()["count"] == 42
    found = client.post(
        "/v1/routes/search",
        json={"origin": "HGH", "destination": "FR", "ready": "2026-11-23T10:00:00+08:00"},
    )
    assert found.status_code == 200, found.text
    body = found.json()
    assert body["ready_utc"] == "2026-11-23T02:00:00Z"
    assert body["fastest"] == body["options"][0]
    assert body["fastest"]["legs"][0]["origin"] == "HGH"
    assert body["fastest"]["legs"][-1]["destination"] == "CDG"
    naive = client.post(
        "/v1/routes/search",
        json={"origin": "HGH", "destination": "FR", "ready": "2026-11-23T10:00:00"},
    )
    assert naive.status_code == 422
    assert naive.headers["content-type"] == "application/problem+json"
    assert naive.json()["errors"][0]["field"] == "ready"
    unknown = client.post(
        "/v1/routes/search",
        json={"origin": "HGH", "destination": "US", "ready": "2026-11-23T10:00:00Z"},
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"] == [
        {"field": "destination", "reason": "unknown country (no delivery zone) 'US'"}
    ]

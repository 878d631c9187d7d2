"""POST /v1/routes/batch on SQLite and PostgreSQL: each answer equals /v1/routes/search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.services.network.ports import load_network


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    engine = make_engine(db_url)
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 22))
    uow = SqlAlchemyNetworkUnitOfWork(make_session_factory(engine))
    now = datetime(2026, 11, 22, tzinfo=UTC)
    load_network(uow, files.name, files.hubs, files.services, files.zones, now)
    engine.dispose()
    with TestClient(create_app(Settings(database_url=db_url))) as made:
        yield made


QUERIES = [
    {"origin": "HGH", "destination": "FR", "ready": "2026-11-23T10:00:00+08:00"},
    {"origin": "CGO", "destination": "LGG", "ready": "2026-11-23T02:00:00Z"},
    {"origin": "SVO", "destination": "DE", "ready": "2026-11-24T13:20:05Z"},
    {"origin": "HGH", "destination": "CN", "ready": "2026-11-25T23:59:59Z"},
    {"origin": "hgh", "destination": " fr", "ready": "2026-11-23T03:00:00+01:00"},
]


def test_a_batch_answers_each_query_as_the_single_search_does(client: TestClient) -> None:
    batch = client.post("/v1/routes/batch", json={"queries": QUERIES})
    assert batch.status_code == 200, batch.text
    assert batch.headers["content-type"] == "application/json"
    body = batch.json()
    assert body["count"] == len(QUERIES)
    singles = [client.post("/v1/routes/search", json=q).json() for q in QUERIES]
    assert body["data"] == singles
    assert body["data"][3]["options"][0]["legs"] == []  # HGH serves CN itself


def test_bad_queries_are_named_by_their_path_and_nothing_is_answered(client: TestClient) -> None:
    bad = client.post(
        "/v1/routes/batch",
        json={"queries": [QUERIES[0], {**QUERIES[0], "origin": "XXX"}, {**QUERIES[0], "destination": "US"}]},
    )  # fmt: skip
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"] == [
        {"field": "queries[1].origin", "reason": "unknown hub 'XXX'"},
        {"field": "queries[2].destination", "reason": "unknown country (no delivery zone) 'US'"},
    ]
    naive = client.post(
        "/v1/routes/batch", json={"queries": [{**QUERIES[0], "ready": "2026-11-23T10:00:00"}]}
    )
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "queries[0].ready"


def test_a_batch_takes_at_most_ten_thousand_queries(client: TestClient) -> None:
    many = client.post("/v1/routes/batch", json={"queries": [QUERIES[0]] * 10_001})
    assert many.status_code == 422
    assert many.json()["errors"][0]["field"] == "queries"
    full = client.post("/v1/routes/batch", json={"queries": [QUERIES[1]] * 10_000})
    assert full.status_code == 200
    assert full.json()["count"] == 10_000
    empty = client.post("/v1/routes/batch", json={"queries": []})
    assert empty.status_code == 422

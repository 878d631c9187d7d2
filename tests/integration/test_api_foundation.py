"""The API's shared behaviour: health, problem+json errors, authentication."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from ewtp import __version__
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.http.deps import MerchantDep
from ewtp.services.accounts import create_account

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


class Probe(BaseModel):
    weight_kg: float = Field(gt=0)
    country: str = Field(pattern="^[A-Z]{2}$")


def _app(db_url: str) -> TestClient:
    app = create_app(Settings(database_url=db_url))
    extra = APIRouter()

    @extra.post("/_probe")
    def probe(body: Probe, merchant: MerchantDep) -> dict[str, str]:
        return {"merchant": merchant.name}

    app.include_router(extra)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with _app(db_url) as c:
        yield c


def _key(db_url: str, role: Role) -> str:
    engine = make_engine(db_url)
    issued = create_account(SqlAlchemyUnitOfWork(make_session_factory(engine)), "Acme", role, NOW)
    engine.dispose()
    return issued.plain


def test_health_reports_the_database_the_version_and_the_rates_age(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert (body["database"], body["version"]) == ("ok", __version__)
    # `ok` or `degraded` by the age of the newest ECB rate (tests/integration/customs).
    assert body["status"] == body["fx"]["status"]


def test_health_is_503_with_a_reason_when_the_database_is_unreachable() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    with TestClient(create_app(Settings(database_url=url))) as client:
        response = client.get("/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"].startswith("unreachable: ")
    assert "Traceback" not in body["database"]


def test_a_422_lists_every_invalid_field_as_problem_json(db_url: str, client: TestClient) -> None:
    key = _key(db_url, Role.MERCHANT)
    response = client.post(
        "/_probe", json={"weight_kg": -1, "country": "france"},
        headers={"Authorization": f"Bearer {key}"},
    )  # fmt: skip
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert {e["field"] for e in body["errors"]} == {"weight_kg", "country"}
    assert all(e["reason"] for e in body["errors"])


def test_missing_and_wrong_keys_are_401_and_wrong_role_is_403(
    db_url: str, client: TestClient
) -> None:
    body = {"weight_kg": 1, "country": "FR"}
    assert client.post("/_probe", json=body).status_code == 401
    bad = client.post("/_probe", json=body, headers={"Authorization": "Bearer ewtp_nope"})
    assert bad.status_code == 401
    assert bad.headers["content-type"] == "application/problem+json"
    operator = _key(db_url, Role.OPERATOR)
    forbidden = client.post("/_probe", json=body, headers={"Authorization": f"Bearer {operator}"})
    assert forbidden.status_code == 403
    merchant = _key(db_url, Role.MERCHANT)
    ok = client.post("/_probe", json=body, headers={"Authorization": f"Bearer {merchant}"})
    assert ok.json() == {"merchant": "Acme"}


def test_unknown_paths_answer_problem_json(client: TestClient) -> None:
    response = client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/no/such/thing"


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    assert client.get("/openapi.json").json()["info"]["title"] == "ewtp"
    assert client.get("/docs").status_code == 200


LIMIT = 2048


def _limited(db_url: str, seen: list[int]) -> TestClient:
    app = create_app(Settings(database_url=db_url, max_request_bytes=LIMIT))
    extra = APIRouter()

    @extra.post("/_echo")
    def echo(body: dict[str, str]) -> dict[str, int]:
        seen.append(len(body["text"]))
        return {"length": len(body["text"])}

    app.include_router(extra)
    return TestClient(app, raise_server_exceptions=False)


def _body(size: int) -> bytes:
    """A JSON body of exactly `size` bytes."""
    frame = b'{"text": ""}'
    return frame[:-2] + b"x" * (size - len(frame)) + frame[-2:]


def _chunks(body: bytes) -> Iterator[bytes]:
    """The body in 500-byte pieces: httpx sends an iterator without Content-Length."""
    for at in range(0, len(body), 500):
        yield body[at : at + 500]


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_over_the_limit_is_413_naming_the_body_and_never_reaches_the_route(
    db_url: str, chunked: bool
) -> None:
    seen: list[int] = []
    with _limited(db_url, seen) as client:
        body = _body(LIMIT + 1)
        response = client.post(
            "/_echo",
            content=_chunks(body) if chunked else body,
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"] == [
        {
            "field": "body",
            "in": "body",
            "reason": "must be at most 2,048 bytes (EWTP_MAX_REQUEST_BYTES); split it into "
            "smaller requests",
        }
    ]
    assert seen == []


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_body_at_the_limit_reaches_the_route_whole(db_url: str, chunked: bool) -> None:
    seen: list[int] = []
    with _limited(db_url, seen) as client:
        body = _body(LIMIT)
        response = client.post(
            "/_echo",
            content=_chunks(body) if chunked else body,
            headers={"Content-Type": "application/json"},
        )
    assert response.status_code == 200, response.text
    assert seen == [LIMIT - len(b'{"text": ""}')]

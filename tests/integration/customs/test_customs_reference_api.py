"""GET /v1/hs, GET /v1/customs/rules and the rates' age in GET /health, over a real database."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.services.customs.admin import load_fx_rates


@pytest.fixture
def client(db_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=db_url, worker_in_process=False))) as c:
        yield c


def test_hs_search_for_the_picker(client: TestClient) -> None:
    body = client.get("/v1/hs", params={"q": "t-shirts cotton"}).json()
    assert "610910" in [row["code"] for row in body["data"]]
    assert body["edition"].startswith("HS 2022")
    bad = client.get("/v1/hs", params={"q": "x"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "q"


def test_rules_in_force_list_their_sources(client: TestClient) -> None:
    body = client.get("/v1/customs/rules", params={"on": "2026-12-01", "country": "FR"}).json()
    kinds = {row["kind"] for row in body["data"]}
    assert {"exchange_rate", "vat_rate", "duty_regime", "fee"} <= kinds
    assert all(row["source"] for row in body["data"])
    fee = next(row for row in body["data"] if row["kind"] == "fee")
    assert (fee["confirmed"], fee["valid_from"]) == (False, "2026-11-01")
    assert (
        client.get("/v1/customs/rules", params={"on": "2026-12-01", "country": "US"}).status_code
        == 422
    )


def test_health_is_degraded_past_the_age_limit_and_ok_with_fresh_rates(
    client: TestClient, db_url: str
) -> None:
    today = utcnow().date()
    before = client.get("/health").json()
    if before["fx"]["newest_rate_date"] < (today - timedelta(days=31)).isoformat():
        assert before["status"] == "degraded"
        assert "ewtp fx fetch" in before["fx"]["fix"]
    engine = make_engine(db_url)
    uow = SqlAlchemyCustomsUnitOfWork(make_session_factory(engine))
    load_fx_rates(uow, [(today, "USD", Decimal("1.1"))], "test")
    engine.dispose()
    # /health answers its latest check at once and refreshes it every 0.5 s
    # (api/routers/health.FRESH_SECONDS): the new rate shows on a later call.
    deadline = time.monotonic() + 5
    after = client.get("/health").json()
    while after["fx"]["age_days"] != 0 and time.monotonic() < deadline:
        time.sleep(0.2)
        after = client.get("/health").json()
    assert (after["status"], after["fx"]["age_days"]) == ("ok", 0)
    assert after["fx"]["newest_rate_date"] == date.isoformat(today)

"""`POST /v1/plans` and `GET /v1/plans/{id}` on SQLite and PostgreSQL: operators only,
bad rows are a 422 naming row and field, and a finished job holds the whole plan."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.db.planning.uow import SqlAlchemyPlanningUnitOfWork
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.adapters.planning.files import SAMPLES
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from ewtp.services.network.ports import load_network
from ewtp.services.planning.forecast import build_forecast

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    made = make_engine(db_url)
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 9))
    uow = SqlAlchemyNetworkUnitOfWork(make_session_factory(made))
    load_network(uow, files.name, files.hubs, files.services, files.zones, NOW)
    yield made
    made.dispose()


def _sample() -> list[dict[str, Any]]:
    with open(SAMPLES / "sample-forecast.csv", newline="") as handle:
        return [{k: v for k, v in row.items() if k != "source"} for row in csv.DictReader(handle)]


def _keys(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    uow = SqlAlchemyNetworkUnitOfWork(make_session_factory(engine))
    operator = create_account(uow, "Network planning", Role.OPERATOR, NOW).plain
    merchant = create_account(uow, "Acme", Role.MERCHANT, NOW).plain
    return {"Authorization": f"Bearer {operator}"}, {"Authorization": f"Bearer {merchant}"}


def test_an_operator_plans_a_week_and_reads_the_plan(db_url: str, engine: Engine) -> None:
    operator, merchant = _keys(engine)
    rows = _sample()
    body = {"week": "2026-11-09", "forecast": rows}
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        assert client.post("/v1/plans", json=body, headers=merchant).status_code == 403
        assert client.post("/v1/plans", json=body).status_code == 401
        made = client.post("/v1/plans", json=body, headers=operator)
        assert made.status_code == 202, made.text
        assert made.json()["status"] == "queued"
        got = client.get(f"/v1/plans/{made.json()['id']}", headers=operator).json()
        assert client.get(f"/v1/plans/{made.json()['id']}", headers=merchant).status_code == 403
    assert got["status"] == "done", got
    plan = got["plan"]
    assert plan["proof"]["status"] == "Optimal"
    assert plan["proof"]["relative_gap"] <= 1e-6
    parcels = sum(float(r["parcels"]) for r in rows)
    totals = plan["totals"]
    assert totals["parcels"] == pytest.approx(parcels, abs=1e-3)
    assert totals["on_time"] + totals["late"] + totals["unserved"] == pytest.approx(
        parcels, abs=1e-2
    )
    for dep in plan["departures"]:
        assert dep["kg"] <= dep["capacity_kg"] + 1e-3
        assert dep["m3"] <= dep["capacity_m3"] + 1e-3


def test_a_bad_row_is_a_422_naming_row_and_field_and_stores_no_job(
    db_url: str, engine: Engine
) -> None:
    operator, _ = _keys(engine)
    rows = _sample()[:3]
    rows[1] = {**rows[1], "kg": "-4"}
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        res = client.post(
            "/v1/plans", json={"week": "2026-11-09", "forecast": rows}, headers=operator
        )
        assert res.status_code == 422
        assert res.headers["content-type"].startswith("application/problem+json")
        assert "forecast[1].kg" in res.text
        assert "row 1" in res.json()["detail"]
        missing = client.get("/v1/plans/00000000-0000-0000-0000-000000000000", headers=operator)
        assert missing.status_code == 404
    with SqlAlchemyPlanningUnitOfWork(make_session_factory(engine)) as uow:
        assert uow.plans.booked(NOW, datetime(2026, 12, 1, tzinfo=UTC)) == []


def test_a_forecast_from_no_booked_shipments_is_empty(engine: Engine) -> None:
    uow = SqlAlchemyPlanningUnitOfWork(make_session_factory(engine))
    assert build_forecast(uow, date(2026, 11, 9)) == []


def _ship(session: Any, account: str, n: int, ready: datetime, *, cancelled: bool = False) -> None:
    from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
    from ewtp.adapters.db.tables.shipments import ShipmentRow

    sid = f"00000000-0000-0000-0000-{n:012d}"
    session.add(ShipmentRow(id=sid, account_id=account, status="booked", origin_hub="HGH",
                            destination_country="FR", service_level="standard", ready_at=ready,
                            created_at=NOW, updated_at=NOW))  # fmt: skip
    session.flush()
    parcel = {"weight_kg": "1.5", "length_cm": "20", "width_cm": "10", "height_cm": "10"}
    session.add(ShipmentDetailRow(
        shipment_id=sid, request={"parcels": [parcel, {**parcel, "weight_kg": "0.5"}]},
        booked_at=NOW, cancelled_at=NOW if cancelled else None,
    ))  # fmt: skip


def test_a_forecast_from_booked_shipments_sums_each_origin_zone_and_ready_time(
    engine: Engine,
) -> None:
    sessions = make_session_factory(engine)
    account = create_account(
        SqlAlchemyNetworkUnitOfWork(sessions), "Acme", Role.MERCHANT, NOW
    ).account.id
    ready = datetime(2026, 11, 11, 3, 30, tzinfo=UTC)
    with sessions() as session:
        _ship(session, account, 1, ready)
        _ship(session, account, 2, ready)
        _ship(session, account, 3, ready, cancelled=True)
        _ship(session, account, 4, datetime(2026, 11, 16, 0, 0, tzinfo=UTC))  # next week
        session.commit()
    rows = build_forecast(SqlAlchemyPlanningUnitOfWork(sessions), date(2026, 11, 9))
    assert len(rows) == 1
    row = rows[0]
    assert (row.origin, row.destination, row.ready_utc) == ("HGH", "FR", ready)
    # two shipments of two parcels: 2 x (1.5 + 0.5) kg, 4 x 20 x 10 x 10 cm3 = 0.008 m3
    assert (row.parcels, row.kg, row.m3) == (4, 4, Decimal("0.008"))

"""The console's network and coverage pages over HTTP, on SQLite and PostgreSQL: who may
see them, and that every figure they draw is the one the use cases (and so the CLI and
its JSON) give."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.api.app import create_app
from ewtp.config import Settings
from ewtp.services.network import views
from ewtp.services.network.coverage import coverage_report, export_connections
from ewtp.services.network.routing import plan_route
from integration.tracking.network import load_builtin_network
from support.console import OPERATOR_EMAIL, make_operator
from support.web import sign_in, sign_up

PAGES = ["/console/network", "/console/network/hubs/LGG", "/console/coverage?origin=HGH",
         "/console/coverage.csv?origin=HGH", "/console/network/lanes.csv", "/console/hubs/LGG", "/console/hubs/LGG/live",
         "/console/hubs/LGG/throughput.csv"]  # fmt: skip


@pytest.fixture
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(db_url)
    made = make_session_factory(engine)
    load_builtin_network(made)
    make_operator(made)
    yield made
    engine.dispose()


@pytest.fixture
def client(db_url: str, factory: sessionmaker[Session]) -> Iterator[TestClient]:
    settings = Settings(database_url=db_url, worker_in_process=False, password_hash_fast=True)
    with TestClient(create_app(settings)) as c:
        yield c


def monday() -> date:
    today = datetime.now(UTC).date()
    return today - timedelta(days=today.weekday())


def test_only_operators_see_the_console(client: TestClient) -> None:
    for path in PAGES:  # nobody signed in: sign in first
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/signin?next=")
    sign_up(client, "owner@shop.example")
    for path in PAGES:  # a merchant: refused, not redirected
        assert client.get(path, follow_redirects=False).status_code == 403, path
    client.cookies.clear()
    assert sign_in(client, OPERATOR_EMAIL).status_code == 303
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_the_map_draws_every_hub_and_lane_of_the_week(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    sign_in(client, OPERATOR_EMAIL)
    html = client.get("/console/network").text
    uow = SqlAlchemyNetworkUnitOfWork(factory)
    hubs = {h["code"] for h in views.hubs(uow)}
    assert set(re.findall(r'data-hub="([A-Z]+)"', html)) == hubs  # each on one map at least
    # lanes counted straight from the dated connections of this week
    expected: dict[str, int] = {}
    for c in export_connections(uow, monday(), 7):
        key = f"{c.origin}-{c.destination}-{c.mode.value}"
        expected[key] = expected.get(key, 0) + 1
    world = html.split('id="map-europe"')[0]
    assert set(re.findall(r'data-lane="([^"]+)"', world)) == set(expected)
    rows = list(csv.DictReader(io.StringIO(client.get("/console/network/lanes.csv").text)))
    assert {f"{r['origin']}-{r['destination']}-{r['mode']}": int(r["departures_per_week"])
            for r in rows} == expected  # fmt: skip
    lgg = client.get("/console/network/hubs/LGG", headers={"HX-Request": "true"}).text
    assert lgg.startswith('<article id="hub-detail"')  # a fragment, not a page
    services = [s["id"] for s in views.services(uow) if "LGG" in (s["origin"], s["destination"])]
    assert services
    assert all(s in lgg for s in services)
    first = next(iter(sorted(expected)))
    o, d, m = first.split("-")
    lane = client.get(f"/console/network/lanes/{o}/{d}/{m}").text
    assert lane.count("<tr><td>") == expected[first]
    assert client.get("/console/network/hubs/XXX").status_code == 404


def test_coverage_cells_agree_with_the_report_and_with_route_search(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    sign_in(client, OPERATOR_EMAIL)
    week = monday()
    html = client.get(f"/console/coverage?origin=HGH&week={week}").text
    report = {r.zone: r for r in coverage_report(SqlAlchemyNetworkUnitOfWork(factory), "HGH", week)}
    shown = dict(re.findall(r'<tr data-zone="([A-Z]{2})">.*?data-share="([0-9.]+)"', html))
    assert shown == {z: str(r.met_share) for z, r in report.items()}
    text = client.get(f"/console/coverage.csv?origin=HGH&week={week}").text
    cells = list(csv.DictReader(io.StringIO(text)))
    assert len(cells) == 168 * len(report)
    for zone, row in report.items():  # a row's share is the share of its met cells
        met = sum(1 for c in cells if c["zone"] == zone and c["met"] == "True")
        assert round(met / 168, 4) == row.met_share
    start = datetime.combine(week, datetime.min.time(), tzinfo=UTC)
    for cell in cells[::97]:  # a sample of cells against the route search itself
        ready = start + timedelta(hours=int(cell["hour_of_week"]))
        plan = plan_route(SqlAlchemyNetworkUnitOfWork(factory), "HGH", cell["zone"], ready)
        if plan.fastest is None:
            assert cell["hours"] == ""
        else:
            hours = (plan.fastest.delivered_utc - ready).total_seconds() / 3600
            assert float(cell["hours"]) == pytest.approx(hours, abs=0.01)
            assert (cell["met"] == "True") == plan.promise_met


def test_a_bad_origin_is_shown_next_to_its_field(client: TestClient) -> None:
    sign_in(client, OPERATOR_EMAIL)
    answer = client.get("/console/coverage?origin=ZZZ")
    assert answer.status_code == 422
    assert 'data-field="origin"' in answer.text

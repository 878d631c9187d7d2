"""Simulation pages on SQLite and PostgreSQL: the form starts a run and polls its
progress, and the report, its CSVs and the comparison show the numbers
`GET /v1/simulations/{id}` answers."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.api.app import create_app
from ewtp.config import Settings
from integration.tracking.network import load_builtin_network
from support.console import OPERATOR_EMAIL, make_operator
from support.web import csrf_of, sign_in, sign_up

#: An M/M/2 station for a day: a run takes a fraction of a second.
SMALL = ["scenario.horizon_hours=24", "scenario.warmup_hours=1"]


@pytest.fixture
def client_and_key(db_url: str) -> Iterator[tuple[TestClient, str]]:
    engine = make_engine(db_url)
    key = make_operator(make_session_factory(engine)).plain
    engine.dispose()
    settings = Settings(database_url=db_url, worker_in_process=False, password_hash_fast=True)
    with TestClient(create_app(settings)) as c:
        yield c, key


def start(client: TestClient, key: str, seed: int) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {key}"}
    body = {"scenario_name": "mmc.toml", "set": SMALL, "replications": 3, "seed": seed}
    created = client.post("/v1/simulations", json=body, headers=auth)
    assert created.status_code == 202, created.text
    run: dict[str, Any] = client.get(f"/v1/simulations/{created.json()['id']}", headers=auth).json()
    assert run["status"] == "done", run
    return run


def drawn(page: str, chart: str, series: str) -> dict[str, float]:
    part = page[page.index(f'id="{chart}"') :]
    part = part[: part.index("</figure>")]
    found = re.findall(
        rf'data-series="{re.escape(series)}" data-label="(\d+)" data-value="([-0-9.e]+)"', part
    )
    return {label: float(v) for label, v in found}


def test_the_report_and_comparison_are_the_api_json(client_and_key: tuple[TestClient, str]) -> None:
    client, key = client_and_key
    a, b = start(client, key, 7), start(client, key, 8)
    pages = ["/console/simulations", f"/console/simulations/{a['id']}",
             f"/console/simulations/{a['id']}/progress", f"/console/simulations/{a['id']}/hourly.csv",
             f"/console/simulations/{a['id']}/kpis.csv",
             f"/console/simulations/compare?a={a['id']}&b={b['id']}",
             f"/console/simulations/compare.csv?a={a['id']}&b={b['id']}"]  # fmt: skip
    sign_up(client, "owner@shop.example")
    for path in pages:
        assert client.get(path, follow_redirects=False).status_code == 403, path
    client.cookies.clear()
    sign_in(client, OPERATOR_EMAIL)
    for path in pages:
        assert client.get(path).status_code == 200, path
    listed = client.get("/console/simulations").text
    assert a["id"] in listed
    assert b["id"] in listed

    page = client.get(f"/console/simulations/{a['id']}").text
    result = a["result"]
    for name, v in result["totals"].items():
        row = re.search(
            rf'<tr data-kpi="{name}" data-mean="([^"]+)" data-low="([^"]+)" data-high="([^"]+)"',
            page,
        )
        assert row, name
        assert (float(row[1]), float(row[2]), float(row[3])) == (v["mean"], v["low"], v["high"])
        assert v["low"] <= v["mean"] <= v["high"]
    for stage, kpis in result["stages"].items():
        for name in ("mean_wait_minutes", "utilization"):
            cell = re.search(rf'data-kpi="{stage}.{name}" data-mean="([^"]+)"', page)
            assert cell
            assert float(cell[1]) == kpis[name]["mean"]
    hours = result["hourly"]["throughput"]
    assert len(hours) == 24
    assert drawn(page, "sim-throughput", "throughput") == {str(h): v for h, v in enumerate(hours)}
    assert drawn(page, "sim-queues", "A") == {
        str(h): v for h, v in enumerate(result["hourly"]["A.queue"])
    }
    assert drawn(page, "sim-utilization", "A") == {
        str(h): v for h, v in enumerate(result["hourly"]["A.utilization"])
    }
    # the hours' parcels out add up to the run's parcels out (warm-up aside, within a day)
    assert math.isclose(sum(hours), result["totals"]["parcels_out"]["mean"], rel_tol=0.1)
    hourly = list(
        csv.DictReader(io.StringIO(client.get(f"/console/simulations/{a['id']}/hourly.csv").text))
    )
    assert [float(r["throughput"]) for r in hourly] == hours
    kpis = {r["kpi"]: r for r in csv.DictReader(io.StringIO(
        client.get(f"/console/simulations/{a['id']}/kpis.csv").text))}  # fmt: skip
    assert float(kpis["A.mean_queue"]["mean"]) == result["stages"]["A"]["mean_queue"]["mean"]
    assert float(kpis["parcels_in"]["high"]) == result["totals"]["parcels_in"]["high"]

    compare = client.get(f"/console/simulations/compare?a={a['id']}&b={b['id']}").text
    for name in ("parcels_out", "A.mean_wait_minutes"):
        x = a["result"]["totals"].get(name) or a["result"]["stages"]["A"][name.split(".")[1]]
        y = b["result"]["totals"].get(name) or b["result"]["stages"]["A"][name.split(".")[1]]
        row = re.search(
            rf'data-kpi="{re.escape(name)}" data-difference="([^"]+)" data-low="([^"]+)" data-high="([^"]+)"',
            compare,
        )
        assert row, name
        difference, low, high = float(row[1]), float(row[2]), float(row[3])
        assert math.isclose(difference, y["mean"] - x["mean"], abs_tol=1e-9)
        half = math.hypot((x["high"] - x["low"]) / 2, (y["high"] - y["low"]) / 2)
        assert math.isclose(high - difference, half)
        assert math.isclose(difference - low, half)
    assert drawn(compare, "cmp-throughput", "B") == {
        str(h): v for h, v in enumerate(b["result"]["hourly"]["throughput"])
    }
    assert client.get("/console/simulations/nope").status_code == 404


def test_the_form_starts_a_run_and_polls_it(client_and_key: tuple[TestClient, str]) -> None:
    client, key = client_and_key
    sign_in(client, OPERATOR_EMAIL)
    token = csrf_of(client.get("/console/simulations").text)
    htmx = {"HX-Request": "true", "X-CSRF-Token": token}
    form = {"scenario": "mmc.toml", "sets": "\n".join(SMALL), "replications": "2", "seed": "3"}
    answer = client.post("/console/simulations", data=form, headers=htmx)
    assert answer.status_code == 200
    assert answer.text.startswith('<div id="sim-start">')
    run_id = re.search(r'id="sim-progress" data-run="([^"]+)"', answer.text)
    assert run_id
    progress = client.get(
        f"/console/simulations/{run_id[1]}/progress", headers={"HX-Request": "true"}
    )
    assert 'data-status="done"' in progress.text
    assert "hx-trigger" not in progress.text  # finished: polling stops
    assert f'href="/console/simulations/{run_id[1]}"' in progress.text
    run = client.get(
        f"/v1/simulations/{run_id[1]}", headers={"Authorization": f"Bearer {key}"}
    ).json()
    assert run["status"] == "done"
    assert run["result"]["replications"] == 2
    assert run["result"]["seed"] == 3
    # without htmx: a redirect to the report
    plain = client.post(
        "/console/simulations", data={**form, "csrf_token": token}, follow_redirects=False
    )
    assert plain.status_code == 303
    assert plain.headers["location"].startswith("/console/simulations/")


@pytest.mark.parametrize(
    ("form", "field"),
    [({"replications": "0"}, "replications"), ({"seed": "x"}, "seed"),
     ({"scenario": "../../etc/passwd"}, "scenario"), ({"sets": "nonsense"}, "--set"),
     ({"sets": "scenario.horizon_hours=-1"}, "scenario.horizon_hours")],
)  # fmt: skip
def test_bad_input_is_named_and_starts_nothing(
    client_and_key: tuple[TestClient, str], form: dict[str, str], field: str
) -> None:
    client, key = client_and_key
    sign_in(client, OPERATOR_EMAIL)
    token = csrf_of(client.get("/console/simulations").text)
    data = {
        "scenario": "mmc.toml",
        "sets": "",
        "replications": "1",
        "seed": "1",
        **form,
        "csrf_token": token,
    }
    answer = client.post("/console/simulations", data=data, follow_redirects=False)
    assert answer.status_code == 422
    assert f'data-field="{field}"' in answer.text
    assert (
        client.get("/v1/simulations", headers={"Authorization": f"Bearer {key}"}).json()["count"]
        == 0
    )
    assert client.post("/console/simulations", data={**data, "csrf_token": "x"}).status_code == 403


def test_the_console_speaks_chinese(client_and_key: tuple[TestClient, str], db_url: str) -> None:
    client, key = client_and_key
    engine = make_engine(db_url)
    load_builtin_network(make_session_factory(engine))
    engine.dispose()
    run = start(client, key, 7)
    sign_in(client, OPERATOR_EMAIL)
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    expected = {
        "/console/network": "枢纽与线路地图",
        "/console/coverage?origin=HGH": "72 小时覆盖",
        "/console/plans": "运力计划",
        "/console/simulations": "开始假设分析",
        f"/console/simulations/{run['id']}": "KPI 及其 95% 置信区间",
        f"/console/simulations/compare?a={run['id']}&b={run['id']}": "逐项 KPI：B 减 A",
    }
    for path, text in expected.items():
        page = client.get(path, headers=zh).text
        assert 'lang="zh-Hans"' in page, path
        assert text in page, path
        for label in ("网络", "覆盖", "枢纽", "计划", "仿真"):  # the console's navigation
            assert f">{label}</a>" in page, (path, label)
    assert "Start the simulation" in client.get("/console/simulations").text  # English stays

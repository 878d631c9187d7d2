"""The simulation as a user runs it: the CLI on the shipped 11.11 scenario, its HTML report
in headless Chromium, and runs started and read over HTTP on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from e2e.merchant.conftest import Live

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def test_the_cli_runs_the_peak_scenario_and_writes_an_offline_report(tmp_path: Path) -> None:
    out = tmp_path / "run"
    done = subprocess.run(
        [sys.executable, "-m", "ewtp", "simulate", "run", "liege-11-11.toml", "-r", "2", "--seed", "7",
         "--set", "demand.multiplier=0.3", "--workers", "1", "--out", str(out), "--format", "json"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "EWTP_VAR_DIR": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["replications"] == 2
    assert result["bottleneck"] in result["stages"]
    for name in (
        "result.json",
        "hourly.csv",
        "hourly.parquet",
        "throughput.svg",
        "queues.svg",
        "report.html",
    ):
        assert (out / name).stat().st_size > 0, name
    stored = json.loads((out / "result.json").read_text())
    assert stored["totals"]["parcels_in"] == result["totals"]["parcels_in"]
    if not CHROMIUM.exists() and os.environ.get("CI") != "true":
        pytest.skip("no Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 390, "height": 844})
            page.on(
                "request",
                lambda r: outside.append(r.url) if not r.url.startswith("file:") else None,
            )
            page.goto((out / "report.html").as_uri())
            assert "11.11" in page.title()
            assert page.locator("svg").count() >= 3
            assert page.get_by_role("heading", name="Stages").is_visible()
        finally:
            browser.close()
    assert outside == []


MMC = {
    "scenario": {"kind": "network", "name": "api mm1", "horizon_hours": 20},
    "stations": [
        {"name": "A", "servers": 1, "service": {"dist": "exponential", "mean_minutes": 1.0}}
    ],
    "arrivals": [{"station": "A", "rate_per_hour": 30.0}],
}


def test_runs_start_finish_and_list_over_http(live: Live) -> None:
    ops = {"Authorization": f"Bearer {live.operator_key}"}
    bad = httpx.post(
        f"{live.base}/v1/simulations", headers=ops, json={"scenario": {**MMC, "colour": 1}}
    )
    assert bad.status_code == 422
    assert "colour" in bad.text
    assert live.alice.post("/v1/simulations", json={"scenario": MMC}).status_code == 403
    started = httpx.post(
        f"{live.base}/v1/simulations", headers=ops, json={"scenario": MMC, "replications": 3}
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    deadline = time.monotonic() + 60
    while True:
        got = httpx.get(f"{live.base}/v1/simulations/{run_id}", headers=ops).json()
        if got["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert got["status"] == "done", got
    utilization = got["result"]["stages"]["A"]["utilization"]["mean"]
    assert 0.35 < utilization < 0.65  # rho = 0.5
    listed = httpx.get(f"{live.base}/v1/simulations", headers=ops).json()
    assert run_id in [r["id"] for r in listed["data"]]
    assert live.alice.get(f"/v1/simulations/{run_id}").status_code == 403

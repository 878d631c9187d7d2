"""The real CLI in a subprocess: seed, route, batch, export, coverage, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def ewtp(*args: str, db_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EWTP_DATABASE_URL": db_url, "EWTP_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.e2e
def test_cli_seeds_routes_and_reports(db_url: str, tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return ewtp(*args, db_url=db_url, var_dir=tmp_path)

    assert "network 'global-72h' loaded" in run("seed").stdout
    assert "already present" in run("seed").stdout
    route = run(
        "route",
        "--from",
        "HGH",
        "--to",
        "FR",
        "--ready",
        "2026-11-23T10:00:00+08:00",
        "--format",
        "json",
    )
    assert route.returncode == 0, route.stderr
    plan = json.loads(route.stdout)
    assert plan["promise_met"] is True
    naive = run("route", "--from", "HGH", "--to", "FR", "--ready", "2026-11-23T10:00:00")
    assert naive.returncode == 2
    assert naive.stderr.strip() == "error: ready: needs a time zone offset such as +08:00 or Z"
    queries = tmp_path / "q.csv"
    queries.write_text(
        "origin,destination,ready_utc\nHGH,FR,2026-11-23T02:00:00Z\nSVO,DE,2026-11-23T02:00:00Z\nCGO,LGG,2026-11-23T02:00:00Z\n"
    )
    batch = run("route", "batch", str(queries), "--format", "jsonl")
    assert batch.returncode == 0, batch.stderr
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    assert [(x["origin"], x["destination"]) for x in lines] == [
        ("HGH", "FR"),
        ("SVO", "DE"),
        ("CGO", "LGG"),
    ]
    assert lines[0] == plan
    assert lines[1]["promise_met"] is False
    conns = run("network", "connections", "--start", "2026-10-24", "--days", "3", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(conns.stdout)))
    assert list(rows[0]) == [
        "service_id",
        "mode",
        "origin",
        "destination",
        "departure_utc",
        "arrival_utc",
        "cost_per_kg",
        "co2_kg_per_kg",
        "capacity_kg",
    ]
    road = [r["departure_utc"] for r in rows if r["service_id"] == "RD-LGG-CDG-13"]
    assert road == ["2026-10-24T11:00:00Z", "2026-10-26T12:00:00Z"]  # 13:00 CEST, then CET
    hubs = run("network", "hubs", "--format", "csv").stdout.splitlines()[0]
    assert hubs == "code,name,country,lat,lon,timezone,min_connection_minutes"
    assert (
        run("network", "zones", "--format", "csv").stdout.splitlines()[0]
        == "country,hub,last_mile_hours"
    )
    cover = json.loads(
        run(
            "network", "coverage", "--origin", "HGH", "--week", "2026-11-23", "--format", "json"
        ).stdout
    )
    assert {r["zone"] for r in cover} >= {"FR", "DE", "CN"}
    assert next(r for r in cover if r["zone"] == "BE")["met_share"] == 1.0

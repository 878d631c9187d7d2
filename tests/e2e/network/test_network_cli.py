"""The real CLI in a subprocess: seed, route, batch, export, coverage, errors."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ewtp.adapters.network.files import BUILTIN_DIR
from unit.network.test_ssim import SAMPLE


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


@pytest.mark.e2e
def test_cli_loads_a_directory_imports_ssim_and_refuses_bad_input(
    db_url: str, tmp_path: Path
) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return ewtp(*args, db_url=db_url, var_dir=tmp_path)

    mine = tmp_path / "small"
    shutil.copytree(BUILTIN_DIR, mine)
    services = (mine / "services.csv").read_text().splitlines()
    (mine / "services.csv").write_text(
        "\n".join(row for row in services if "RAIL" not in row) + "\n"
    )
    loaded = run("network", "load", str(mine), "--format", "json")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout)["name"] == "small"
    assert json.loads(loaded.stdout)["services"] == 41
    assert "already present" in run("seed").stdout  # seeding never undoes a load
    ssim = tmp_path / "sample.ssim"
    ssim.write_text("\n".join(SAMPLE) + "\n")
    imported = run("network", "import-ssim", str(ssim), "--format", "json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["added"] == 2
    ids = {s["id"] for s in json.loads(run("network", "services", "--format", "json").stdout)}
    assert {"CK221-01", "CK222-01"} <= ids
    broken = tmp_path / "broken.ssim"
    broken.write_text("\n".join([*SAMPLE[:2], SAMPLE[2].replace("0130", "25X0")]) + "\n")
    refused = run("network", "import-ssim", str(broken))
    assert refused.returncode == 2
    assert "line 3 (aircraft_std)" in refused.stderr
    queries = tmp_path / "q.csv"
    queries.write_text(
        "origin,destination,ready_utc\nHGH,FR,2026-11-23T02:00:00Z\nHGH,FR,2026-11-23T02:00:00\nXXX,FR,2026-11-23T02:00:00Z\n"
    )
    bad = run("route", "batch", str(queries), "--format", "jsonl")
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert "line 3: ready_utc" in bad.stderr
    assert "line 4: origin" in bad.stderr

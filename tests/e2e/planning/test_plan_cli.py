"""`ewtp plan` in a subprocess on a freshly seeded database, as the guide runs it."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ewtp.adapters.planning.files import SAMPLES

pytestmark = pytest.mark.e2e


def ewtp(*args: str, db_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EWTP_DATABASE_URL": db_url, "EWTP_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def seeded(tmp_path: Path) -> tuple[str, Path]:
    """A fresh SQLite database, migrated and seeded as `make run` does (the CLI path is the
    same on PostgreSQL; the API tests run on both)."""
    db_url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    assert ewtp("db", "upgrade", db_url=db_url, var_dir=tmp_path).returncode == 0
    assert ewtp("seed", db_url=db_url, var_dir=tmp_path).returncode == 0
    return db_url, tmp_path


def test_plan_capacity_prints_json_and_csv_and_names_a_bad_row(seeded: tuple[str, Path]) -> None:
    db_url, var = seeded
    sample = str(SAMPLES / "sample-forecast.csv")
    cands = str(SAMPLES / "candidates-1111.csv")
    out = ewtp("plan", "capacity", "--forecast", sample, "--week", "2026-11-09",
               "--format", "json", db_url=db_url, var_dir=var)  # fmt: skip
    assert out.returncode == 0, out.stderr
    plan = json.loads(out.stdout)  # nothing but the JSON on stdout
    assert plan["proof"]["status"] == "Optimal"
    with open(sample, newline="") as handle:
        parcels = sum(float(r["parcels"]) for r in csv.DictReader(handle))
    assert plan["totals"]["parcels"] == pytest.approx(parcels, abs=1e-3)
    rows = ewtp("plan", "capacity", "--forecast", sample, "--week", "2026-11-09",
                "--candidates", cands, "--rows", "candidates", "--format", "csv",
                db_url=db_url, var_dir=var)  # fmt: skip
    assert rows.returncode == 0, rows.stderr
    got = list(csv.DictReader(io.StringIO(rows.stdout)))
    with open(cands, newline="") as handle:
        assert [r["id"] for r in got] == [r["id"] for r in csv.DictReader(handle)]
    # a bad row: one line on stderr naming file, row and column, exit 2, nothing on stdout
    bad = var / "bad.csv"
    bad.write_text(
        "origin,destination,ready_utc,parcels,kg,m3\n"
        "HGH,FR,2026-11-11T02:00:00Z,10,12,0.1\n"
        "HGH,XX,2026-11-11T02:00:00Z,10,12,0.1\n"
    )
    out = ewtp("plan", "capacity", "--forecast", str(bad), "--week", "2026-11-09",
               db_url=db_url, var_dir=var)  # fmt: skip
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "bad.csv[2].destination" in lines[0]


def test_plan_forecast_writes_the_scenario_to_a_file(
    seeded: tuple[str, Path], tmp_path: Path
) -> None:
    db_url, var = seeded
    scenario = json.loads((SAMPLES / "peak-1111.json").read_text())
    scenario["parcels"] = 1000
    path = tmp_path / "small.json"
    path.write_text(json.dumps(scenario))
    target = tmp_path / "f.csv"
    out = ewtp("plan", "forecast", "--week", "2026-11-09", "--scenario", str(path),
               "-o", str(target), "--format", "json", db_url=db_url, var_dir=var)  # fmt: skip
    assert out.returncode == 0, out.stderr
    with open(target, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert abs(sum(float(r["parcels"]) for r in rows) - 1000) < 1.0  # rounded to 0.001 per row
    assert json.loads(out.stdout)["rows"] == len(rows)

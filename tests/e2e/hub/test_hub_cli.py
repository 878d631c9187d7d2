"""`ewtp hub ...` in a subprocess on a fresh SQLite database: show, sortplan, sort, load."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from e2e.network.test_network_cli import ewtp
from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR

pytestmark = pytest.mark.e2e


def test_the_hub_commands_print_the_model_plan_and_decisions(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ewtp.db'}"

    def run(*args: str):  # type: ignore[no-untyped-def]
        return ewtp(*args, db_url=url, var_dir=tmp_path)

    assert run("db", "upgrade").returncode == 0
    assert run("seed").returncode == 0
    shown = run("hub", "show", "LGG", "--format", "json")
    assert shown.returncode == 0, shown.stderr
    model = json.loads(shown.stdout)
    assert model["processing_minutes"] == round((45 * 60 + 6 * 60 + 3) / 60, 2)

    plan = run("hub", "sortplan", "--hub", "LGG", "--date", "2026-11-11", "--format", "csv")
    assert plan.returncode == 0, plan.stderr
    rows = list(csv.DictReader(io.StringIO(plan.stdout)))
    trucks = [r for r in rows if r["service_id"].startswith("RD-LGG-")]
    assert len(trucks) == 18  # nine lanes at 13:00 and 23:00 local, Wednesday
    cdg = next(r for r in trucks if r["service_id"] == "RD-LGG-CDG-13")
    assert cdg["departure_utc"] == "2026-11-11T12:00:00Z"  # 13:00 in Brussels (CET)
    assert cdg["cutoff_utc"] == "2026-11-11T11:00:00Z"
    assert "FR" in cdg["serves"].split()
    assert any(r["service_id"] == "special:reject" for r in rows)

    scans = tmp_path / "scans.csv"
    scans.write_text(
        "tracking_number,scanned_at,destination,booked_service_id,booked_departure_utc\n"
        "LP000000014CN,2026-11-11T09:00:00Z,FR,RD-LGG-CDG-13,2026-11-11T12:00:00Z\n"
        "LP000000028CN,2026-11-11T10:30:00Z,FR,RD-LGG-CDG-13,2026-11-11T12:00:00Z\n"
        "LP000000015CN,2026-11-11T10:30:00Z,FR,,\n"
    )
    out = tmp_path / "decisions.csv"
    sort = run("hub", "sort", str(scans), "--hub", "LGG", "--out", str(out), "--format", "json")
    assert sort.returncode == 0, sort.stderr
    counts = {r["reason"]: r["parcels"] for r in json.loads(sort.stdout)}
    assert counts == {"planned": 1, "rerouted": 1, "unknown": 1, "total": 3}
    decided = list(csv.DictReader(io.StringIO(out.read_text())))
    assert [d["reason"] for d in decided] == ["planned", "rerouted", "unknown"]
    assert decided[1]["service_id"] == "RD-LGG-CDG-23"  # 10:30 + 51 min misses 11:00

    naive = tmp_path / "naive.csv"
    naive.write_text("tracking_number,scanned_at\nLP000000014CN,2026-11-11T09:00:00\n")
    bad = run("hub", "sort", str(naive), "--hub", "LGG")
    assert bad.returncode == 2
    # (rich wraps stderr at 80 columns when it is not a terminal)
    assert "line 2: scanned_at needs a time zone offset" in " ".join(bad.stderr.split())

    broken = tmp_path / "LGG"
    shutil.copytree(BUILTIN_HUBS_DIR / "LGG", broken)
    with (broken / "times.csv").open("a") as handle:
        handle.write("sorter_transit_minutes,-1,minutes,2030-01-01,,typo\n")
    refused = run("hub", "load", str(broken))
    assert refused.returncode == 2
    message = " ".join(refused.stderr.split())
    assert message.startswith("error: times.csv[line 8].value: times.csv line 8:"), message
    unknown = run("hub", "show", "XXX")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("error: hub: unknown hub")

"""The real CLI: a batch equals single routes, coverage of every hub, a GTFS export."""

from __future__ import annotations

import json
import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gtfs_kit as gk
import pytest

from e2e.network.test_network_cli import ewtp


@pytest.mark.e2e
def test_batch_coverage_and_gtfs_from_the_cli(sqlite_template: Path, tmp_path: Path) -> None:
    # SQLite only: the commands read the network once; both backends are covered by
    # test_network_cli.py and the batch API tests.
    shutil.copy(sqlite_template, tmp_path / "cli.db")
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"

    def run(*args: str) -> tuple[int, str, str]:
        done = ewtp(*args, db_url=db_url, var_dir=tmp_path)
        return done.returncode, done.stdout, done.stderr

    assert run("seed")[0] == 0
    rng = random.Random(4)
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    rows = [
        (rng.choice(["HGH", "CGO", "HKG", "KUL"]), rng.choice(["FR", "DE", "PL", "CN", "LGG"]),
         monday + timedelta(seconds=rng.randrange(86400)))
        for _ in range(300)
    ]  # fmt: skip
    queries = tmp_path / "q.csv"
    queries.write_text(
        "origin,destination,ready_utc\n"
        + "".join(f"{o},{d},{r:%Y-%m-%dT%H:%M:%SZ}\n" for o, d, r in rows)
    )
    code, out, err = run("route", "batch", str(queries))
    assert code == 0, err
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == len(rows)
    o, d, r = rows[150]
    code, single, err = run("route", "--from", o, "--to", d, "--ready", r.isoformat(), "-f", "json")
    assert code == 0, err
    assert answers[150] == json.loads(single)

    code, out, err = run("network", "coverage", "--week", "2026-11-23", "--compare", "-f", "json")
    assert code == 0, err
    cover = json.loads(out)
    assert len(cover) == 17 * 28
    assert {r["origin"] for r in cover} >= {"HGH", "CGO", "LGG", "SVO"}
    assert "from profiles: 17 origin(s) x 28 zones x 168 ready times" in err
    assert "same rows" in err

    feed_dir = tmp_path / "gtfs"
    code, out, err = run("network", "export-gtfs", str(feed_dir), "--start", "2026-11-23",
                         "--days", "7", "-f", "json")  # fmt: skip
    assert code == 0, err
    written = {r["file"]: r["rows"] for r in json.loads(out)}
    feed = gk.read_feed(feed_dir, dist_units="km")
    assert written["stops.txt"] == len(feed.stops) == 17
    assert written["trips.txt"] == len(feed.trips)
    code, _, err = run("network", "export-gtfs", str(queries))
    assert code == 2
    assert "directory" in err

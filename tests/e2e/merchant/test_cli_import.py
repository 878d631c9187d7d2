"""`ewtp shipments import FILE --merchant ID`: the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ewtp.services.merchant.import_shipments import template_csv
from integration.merchant.helpers import factory, merchant


def ewtp(*args: str, db_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EWTP_DATABASE_URL": db_url, "EWTP_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_cli_import_creates_good_rows_reports_bad_ones_and_atomic_creates_none(
    sqlite_template: Path, tmp_path: Path
) -> None:
    # SQLite only: the CLI shares the import use case with the API, whose bulk e2e test
    # runs on both backends; each CLI call costs a fresh interpreter.
    shutil.copy(sqlite_template, tmp_path / "cli.db")
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    with factory(db_url) as sessions:
        shop = merchant(sessions, "CLI Shop")
    header, row = template_csv().strip().splitlines()
    orders = tmp_path / "orders.csv"
    orders.write_text("\n".join([header, row, row.replace(",610910,", ",61,"), row]) + "\n")
    atomic = ewtp("shipments", "import", str(orders), "--merchant", shop, "--atomic",
                  db_url=db_url, var_dir=tmp_path)  # fmt: skip
    assert atomic.returncode == 2
    assert "row 3: hs_code: must be 6 to 10 digits" in atomic.stderr  # the file's line
    assert atomic.stderr.strip().splitlines()[-1] == (
        "error: file: 1 row(s) are invalid; atomic import created nothing"
    )
    done = ewtp("shipments", "import", str(orders), "--merchant", shop, "--format", "json",
                db_url=db_url, var_dir=tmp_path)  # fmt: skip
    assert done.returncode == 3, done.stderr  # finished with a rejected row
    body = json.loads(done.stdout)
    assert body["created"] == 2
    assert len(set(body["shipment_ids"])) == 2
    assert body["warnings"] == []
    assert body["errors"] == [{"row": 3, "field": "hs_code", "message": "must be 6 to 10 digits"}]
    stranger = ewtp("shipments", "import", str(orders), "--merchant", "nobody",
                    db_url=db_url, var_dir=tmp_path)  # fmt: skip
    assert stranger.returncode == 2
    assert stranger.stderr.strip() == "error: --merchant: no merchant with this id"
    listed = ewtp("merchants", "list", "--format", "json", db_url=db_url, var_dir=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert {"id": shop, "name": "CLI Shop"}.items() <= next(
        m for m in json.loads(listed.stdout) if m["id"] == shop
    ).items()

"""Schemathesis against the live server's /openapi.json: no 5xx, no response off-schema.

Fixed seed and bounded examples keep it reproducible and around 15 s. It runs on SQLite
only: the server code is the same on both backends, which the other e2e tests cover.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from integration.merchant.helpers import factory, merchant_key, seed_network
from support.server import run_server

SEED = "20261122"
MAX_EXAMPLES = "10"


def test_schemathesis_finds_no_server_error_and_no_schema_violation(
    sqlite_template: Path, tmp_path: Path
) -> None:
    db = tmp_path / "fuzz.db"
    shutil.copy(sqlite_template, db)
    url = f"sqlite:///{db}"
    with factory(url) as sessions:
        seed_network(sessions)
        key = merchant_key(sessions, "Fuzz Merchant")
    st = Path(sys.executable).with_name("st")
    with run_server(url, tmp_path, EWTP_WORKER_IN_PROCESS="false") as base:
        result = subprocess.run(
            [
                str(st),
                "run",
                f"{base}/openapi.json",
                "--checks",
                "not_a_server_error,response_schema_conformance",
                "--max-examples",
                MAX_EXAMPLES,
                "--seed",
                SEED,
                "--header",
                f"Authorization: Bearer {key}",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=240,
            cwd=tmp_path,  # schemathesis keeps its cache in the working directory
            check=False,
        )
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary
    counts = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert counts, summary
    assert counts.group(1) == counts.group(2)
    assert int(counts.group(1)) > 500  # every operation really was exercised

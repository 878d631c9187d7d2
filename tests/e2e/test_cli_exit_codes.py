"""The CLI's exit codes and one-line errors, as a script sees them (a pipe, no terminal).

0 all good; 1 a validation answer "invalid"; 2 usage or input error; 3 finished with
rejected rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def ewtp(*args: str, tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {
        **os.environ,
        "EWTP_DATABASE_URL": f"sqlite:///{tmp}/ewtp.db",
        "EWTP_VAR_DIR": str(tmp),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=full, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def test_exit_codes_are_documented_in_help(tmp_path: Path) -> None:
    result = ewtp("--help", tmp=tmp_path, COLUMNS="200")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert 'Exit codes: 0 all good; 1 a validation answer "invalid"; 2 usage or input error' in text
    assert "3 finished with rejected rows" in text


def test_a_valid_answer_exits_0_and_an_invalid_one_exits_1(tmp_path: Path) -> None:
    good = ewtp("validate", "hs", "610910", "-f", "json", tmp=tmp_path)
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["valid"] is True
    bad = ewtp("validate", "ioss", "NOPE", "-f", "json", tmp=tmp_path)
    assert bad.returncode == 1
    assert json.loads(bad.stdout)["valid"] is False


@pytest.mark.parametrize(
    "args",
    [
        ("nosuchcmd",),
        ("tracking", "ingest", "/no/such/file/with/a/rather/long/name/to/pass/eighty/columns.csv"),
        ("shipments", "import", "x.csv"),  # --merchant is missing
    ],
)
def test_usage_and_input_errors_are_one_line_and_exit_2(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    result = ewtp(*args, tmp=tmp_path, COLUMNS="40")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")


def test_ingest_with_a_rejected_row_exits_3_and_says_which(tmp_path: Path) -> None:
    assert ewtp("db", "upgrade", tmp=tmp_path).returncode == 0
    scans = tmp_path / "scans.csv"
    # LP000000014CN is a valid S10 number that no shipment has; the second row is malformed.
    scans.write_text(
        "tracking_number,code,occurred_at,hub\n"
        "LP000000014CN,accepted,2026-11-22T09:15:00Z,HGH\n"
        "LP000000014CN,nosuchcode,2026-11-22T09:15:00Z,HGH\n"
    )
    result = ewtp("tracking", "ingest", str(scans), "-f", "json", tmp=tmp_path)
    assert result.returncode == 3, result.stderr
    assert json.loads(result.stdout)["rejected"] == 2
    errors = result.stderr.splitlines()
    assert errors[0].startswith("row 2: tracking_number: unknown tracking number")
    assert errors[1].startswith("row 3: code: unknown scan code")

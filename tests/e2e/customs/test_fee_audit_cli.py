"""`ewtp customs fees add|end|audit`: the CLI's changes are audited like the console's and
the API's, naming the login that ran them; a refused row leaves no entry."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from e2e.network.test_network_cli import ewtp
from ewtp.adapters.db.engine import make_engine
from ewtp.adapters.db.migrate import upgrade

pytestmark = pytest.mark.e2e


def test_cli_fee_changes_are_audited(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()

    def run(*args: str) -> tuple[int, str, str]:
        done = ewtp("customs", "fees", *args, "--format", "json", db_url=url, var_dir=tmp_path)
        return done.returncode, done.stdout, done.stderr

    code, out, err = run("add", "--country", "AT", "--amount", "1.00", "--valid-from",
                         "2027-01-01", "--source", "CLI test")  # fmt: skip
    assert code == 0, err
    fee_id = json.loads(out)["id"]
    code, _, err = run("add", "--country", "AT", "--amount", "3.00", "--valid-from",
                       "2027-02-01", "--source", "CLI test, overlapping")  # fmt: skip
    assert code == 2
    assert "valid_from" in err
    assert run("end", str(fee_id), "2027-01-31")[0] == 0
    code, out, err = run("audit")
    assert code == 0, err
    entries = json.loads(out)
    who = f"cli:{getpass.getuser()}"
    assert [(e["action"], e["actor"], e["fee_id"]) for e in entries] == [
        ("end", who, fee_id), ("add", who, fee_id),
    ]  # fmt: skip
    assert "2027-01-01 to 2027-01-31" in entries[0]["detail"]

"""Every shell example of README.md runs as written against a fresh `make run` server.

The set-up is `make run`'s own: `ewtp db upgrade && ewtp seed` on a new SQLite database,
then `ewtp serve`. The examples run in order in one working directory (files and shell
variables made by one example are there for the next, as in a user's terminal), with the
README's port 8000 replaced by the test server's free port. `curl` fails on an HTTP error
status, so an example that gets a 4xx or 5xx fails; a command exiting non-zero fails too.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support.readme import examples
from support.server import run_server

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CURL_WRAPPER = """#!/bin/sh
# The README's curl, failing on an HTTP error status (the body is still printed).
exec {curl} --fail-with-body "$@"
"""
# The variables an example set (not bash's own, not read-only), for the next examples.
SAVE_VARIABLES = """
for __v in $(compgen -v); do
  case "$__before" in *" $__v "*) continue;; esac
  declare -p "$__v" 2>/dev/null | grep -v '^declare -[a-zA-Z]*r' || true
done > "$__env"
"""


def _workdir(tmp: Path) -> tuple[Path, dict[str, str]]:
    work = tmp / "work"
    work.mkdir()
    (work / ".venv").symlink_to(Path(sys.prefix))
    # The repository as a user's clone has it (examples read its files), with fresh state.
    for entry in ROOT.iterdir():
        if entry.name not in {".git", ".venv", "var"} and not entry.name.startswith("."):
            (work / entry.name).symlink_to(entry)
    shims = tmp / "shims"
    shims.mkdir()
    curl = shutil.which("curl")
    assert curl is not None, "the README's examples need curl"
    (shims / "curl").write_text(CURL_WRAPPER.format(curl=curl))
    (shims / "curl").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shims}:{work / '.venv' / 'bin'}:{os.environ['PATH']}",
        "EWTP_DATABASE_URL": f"sqlite:///{work / 'var' / 'ewtp.db'}",
        "EWTP_VAR_DIR": str(work / "var"),
        "EWTP_WORKER_IN_PROCESS": "0",
        "COLUMNS": "200",
    }
    return work, env


def test_every_shell_example_of_the_readme_runs(tmp_path: Path) -> None:
    found = examples(README)
    assert found, "README.md has no shell example"
    work, env = _workdir(tmp_path)
    (work / "var").mkdir()
    for step in (["db", "upgrade"], ["seed"]):  # what `make run` does before it serves
        done = subprocess.run([sys.executable, "-m", "ewtp", *step], env=env, cwd=work,
                              capture_output=True, text=True, timeout=300)  # fmt: skip
        assert done.returncode == 0, done.stderr
    state = tmp_path / "shell-state.sh"
    state.write_text("")
    failures: list[str] = []
    with run_server(env["EWTP_DATABASE_URL"], work / "var", EWTP_WORKER_IN_PROCESS="0") as base:
        port = base.rsplit(":", 1)[1]
        env["EWTP_PORT"] = port
        for example in found:
            script = example.script.replace("127.0.0.1:8000", f"127.0.0.1:{port}").replace(
                "localhost:8000", f"localhost:{port}"
            )
            wrapped = (
                f'__before=" $(compgen -v | tr "\\n" " ") "; __env={state}\nsource "$__env"\n'
                f"set -euo pipefail\n{script}\nset +eu\n{SAVE_VARIABLES}"
            )
            # Some examples are whole planning or simulation runs: minutes on a busy machine.
            run = subprocess.run(["bash", "-c", wrapped], env=env, cwd=work,
                                 capture_output=True, text=True, timeout=900)  # fmt: skip
            if run.returncode != 0:
                failures.append(
                    f"README.md line {example.line}: exit {run.returncode}\n{script}"
                    f"--- stdout\n{run.stdout[-2000:]}--- stderr\n{run.stderr[-2000:]}"
                )
    harness = [line for e in found for line in e.harness]
    print(f"{len(found)} README examples run; done by the harness itself: {harness}")
    assert not failures, "\n\n".join(failures)


def test_the_readme_scan_code_table_lists_every_code_the_platform_reads() -> None:
    from ewtp.domain.tracking.timeline import SCAN_CODES

    rows = {}
    for line in README.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("| `") and len(cells) >= 2:
            rows[cells[0].strip("`")] = cells[1].strip("`")
    expected = {c.code: c.milestone.value for c in SCAN_CODES}
    assert {code: rows.get(code) for code in expected} == expected

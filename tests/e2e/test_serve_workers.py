"""`ewtp serve --workers N`: N uvicorn workers on PostgreSQL; SQLite refuses more than one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from support.postgres import free_port

pytestmark = pytest.mark.e2e


def test_sqlite_refuses_more_than_one_worker_and_says_why(tmp_path: Path) -> None:
    env = {**os.environ, "EWTP_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    run = subprocess.run(
        [sys.executable, "-m", "ewtp", "serve", "--workers", "2"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("error: --workers:")
    assert "SQLite has one writer" in lines[0]
    assert "PostgreSQL" in lines[0]


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(p) for p in text.split()]


def test_postgresql_serves_with_two_worker_processes(pg_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "EWTP_DATABASE_URL": pg_url, "EWTP_PORT": str(port),
           "EWTP_VAR_DIR": str(tmp_path), "EWTP_WORKER_IN_PROCESS": "false"}  # fmt: skip
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ewtp", "serve", "--workers", "2"],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "no answer from the workers"
            time.sleep(0.2)
        serving = [
            c for c in children(proc.pid)
            if "multiprocessing" in Path(f"/proc/{c}/cmdline").read_text()
        ]  # fmt: skip
        assert len(serving) >= 2, children(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()

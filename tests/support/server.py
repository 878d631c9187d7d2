"""Start the real `ewtp serve` in a subprocess and wait until /health answers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from support.postgres import free_port

__all__ = ["run_server", "server_process"]


@contextmanager
def run_server(database_url: str, var_dir: Path, **env: str) -> Iterator[str]:
    """Yield the base URL of a live server on a free loopback port."""
    with server_process(database_url, var_dir, **env) as (base, _proc):
        yield base


@contextmanager
def server_process(
    database_url: str, var_dir: Path, **env: str
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Like `run_server`, with the process too (a test may kill it; stopping it is safe)."""
    port = free_port()
    environ = {
        **os.environ,
        "EWTP_DATABASE_URL": database_url,
        "EWTP_VAR_DIR": str(var_dir),
        "EWTP_PORT": str(port),
        "EWTP_LOG_LEVEL": "warning",
        **env,
    }
    log = (var_dir / f"server-{port}.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ewtp", "serve"], env=environ, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited: {Path(log.name).read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code in (200, 503):
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("server did not answer /health within 60 s")
            time.sleep(0.2)
        yield base, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()

"""The real server over HTTP and the real CLI in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.server import run_server


def ewtp(*args: str, db_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EWTP_DATABASE_URL": db_url, "EWTP_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_live_server_answers_health_and_openapi(db_url: str, tmp_path: Path) -> None:
    with run_server(db_url, tmp_path) as base:
        health = httpx.get(f"{base}/health")
        assert health.status_code == 200
        assert health.json()["database"] == "ok"
        assert httpx.get(f"{base}/openapi.json").json()["openapi"].startswith("3.")


def test_live_server_refuses_an_oversized_chunked_body_with_413(
    db_url: str, tmp_path: Path
) -> None:
    def pieces() -> Iterator[bytes]:  # no Content-Length: uvicorn streams it in
        yield b'{"events": ['
        for _ in range(200):
            yield b'{"tracking_number": "LP000000014CN", "code": "accepted", ' * 2

    with run_server(db_url, tmp_path, EWTP_MAX_REQUEST_BYTES="4096") as base:
        response = httpx.post(f"{base}/v1/tracking/events", content=pieces(), timeout=30)
        assert response.status_code == 413
        assert response.json()["errors"][0]["field"] == "body"
        assert httpx.get(f"{base}/health", timeout=5).status_code == 200


def test_unreachable_database_gives_503_and_one_clear_log_line(tmp_path: Path) -> None:
    url = "postgresql+psycopg://ewtp@127.0.0.1:9/nowhere"
    with run_server(url, tmp_path) as base:
        health = httpx.get(f"{base}/health")
    assert health.status_code == 503
    assert health.json()["database"].startswith("unreachable: ")
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert "Traceback" not in log
    warnings = [line for line in log.splitlines() if "unreachable" in line]
    assert len(warnings) == 1, log
    assert "127.0.0.1:9/nowhere" in warnings[0]


def test_cli_upgrades_idempotently_and_creates_merchants(db_url: str, tmp_path: Path) -> None:
    again = ewtp("db", "upgrade", db_url=db_url, var_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "up to date" in again.stdout
    created = ewtp(
        "merchants", "create", "Acme Ltd", "--format", "json", db_url=db_url, var_dir=tmp_path
    )
    assert created.returncode == 0, created.stderr
    body = json.loads(created.stdout)
    assert set(body) == {"id", "name", "api_key"}
    assert body["name"] == "Acme Ltd"
    revoked = ewtp(
        "keys", "revoke", body["api_key"][:13], "--format", "json", db_url=db_url, var_dir=tmp_path
    )
    assert json.loads(revoked.stdout)["revoked"] is True


def test_cli_errors_are_one_line_with_exit_code_2(db_url: str, tmp_path: Path) -> None:
    result = ewtp("merchants", "create", " ", db_url=db_url, var_dir=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == "error: name: must not be empty"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nosuchcmd",), "No such command 'nosuchcmd'"),
        (("webhooks", "prune", "--keep-days", "0"), "Invalid value for '--keep-days'"),
        (("route", "--from"), "Option '--from' requires an argument"),
    ],
)
def test_usage_errors_name_the_problem_and_exit_2(
    args: tuple[str, ...], message: str, db_url: str, tmp_path: Path
) -> None:
    result = ewtp(*args, db_url=db_url, var_dir=tmp_path)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_seed_prints_the_same_demo_key_twice(db_url: str, tmp_path: Path) -> None:
    first = ewtp("seed", db_url=db_url, var_dir=tmp_path)
    second = ewtp("seed", db_url=db_url, var_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "demo-api-key").read_text().strip()
    assert key.startswith("ewtp_")
    assert key in first.stdout
    assert key in second.stdout
    with run_server(db_url, tmp_path) as base:
        response = httpx.get(f"{base}/health", headers={"Authorization": f"Bearer {key}"})
        assert response.status_code == 200


def test_version_and_help(tmp_path: Path) -> None:
    version = ewtp("version", db_url="sqlite:///unused.db", var_dir=tmp_path)
    assert version.returncode == 0
    assert version.stdout.strip()
    for args in (["--help"], ["db", "--help"], ["serve", "--help"], ["merchants", "--help"]):
        assert ewtp(*args, db_url="sqlite:///unused.db", var_dir=tmp_path).returncode == 0

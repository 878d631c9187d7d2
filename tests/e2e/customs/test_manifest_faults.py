"""Manifest jobs under faults: unreadable files end `failed` naming the file, and a server
killed with SIGKILL mid-upload and mid-job leaves nothing partial and marks the job failed
at restart."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pytest

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.customs.test_bulk_files import rows
from integration.merchant.helpers import NOW
from support.server import run_server, server_process

pytestmark = pytest.mark.e2e


def merchant_auth(db_url: str) -> dict[str, str]:
    engine = make_engine(db_url)
    try:
        key = create_account(
            SqlAlchemyUnitOfWork(make_session_factory(engine)), "Shop", Role.MERCHANT, NOW
        ).plain
    finally:
        engine.dispose()
    return {"Authorization": f"Bearer {key}"}


def good_parquet(count: int) -> bytes:
    out = io.BytesIO()
    pl.DataFrame(rows(count)).write_parquet(out)
    return out.getvalue()


def latin1_csv() -> bytes:
    text = pl.DataFrame(rows(3)).write_csv().replace("goods line", "Café crème brûlée")
    return text.encode("latin-1")


FAULTS: dict[str, bytes] = {
    "random.parquet": os.urandom(4096),
    "truncated.parquet": good_parquet(50)[:700],
    "latin1.csv": latin1_csv(),
    "broken-utf8.csv": pl.DataFrame(rows(2)).write_csv().encode() + b"\xff\xfe\xc3(\n",
}


def wait_for_end(client: httpx.Client, job_id: str, seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        state: dict[str, Any] = client.get(f"/v1/customs/manifests/{job_id}").json()
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            return state
        time.sleep(0.05)


def test_unreadable_uploads_end_failed_with_a_reason_naming_the_file(
    db_url: str, tmp_path: Path
) -> None:
    auth = merchant_auth(db_url)
    with run_server(db_url, tmp_path) as base, httpx.Client(base_url=base, headers=auth) as client:
        for name, content in FAULTS.items():
            posted = client.post("/v1/customs/manifests", files={"file": (name, content)})
            assert posted.status_code == 202, posted.text
            state = wait_for_end(client, posted.json()["id"])
            assert state["status"] == "failed", (name, state)
            assert name in state["message"], state
            assert state["result_url"] is None
        # The same keep-alive connection still answers: nothing dropped it.
        assert client.get("/health").status_code == 200
    leftovers = list((tmp_path / "customs" / "manifests").glob("*.out.*"))
    assert leftovers == []


def upload_slowly(base: str, auth: dict[str, str], content: bytes) -> None:
    """A multipart upload that trickles in over ~10 s (the server is killed meanwhile)."""
    boundary = "ewtp-slow"
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="slow.csv"\r\n\r\n').encode()  # fmt: skip

    def body() -> Iterator[bytes]:
        yield head
        for start in range(0, len(content), len(content) // 100):
            yield content[start : start + len(content) // 100]
            time.sleep(0.1)
        yield f"\r\n--{boundary}--\r\n".encode()

    headers = {**auth, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    with contextlib.suppress(httpx.HTTPError):
        httpx.post(f"{base}/v1/customs/manifests", content=body(), headers=headers, timeout=60)


def test_a_server_killed_mid_job_leaves_nothing_partial_and_the_job_fails_at_restart(
    db_url: str, tmp_path: Path
) -> None:
    auth = merchant_auth(db_url)
    big = pl.concat(
        [pl.DataFrame(rows(1000)).with_columns(pl.col("consignment_id") + f"-{k}")
         for k in range(75)]
    ).write_csv().encode()  # fmt: skip
    folder = tmp_path / "customs" / "manifests"
    with server_process(db_url, tmp_path) as (base, proc):
        slow = threading.Thread(target=upload_slowly, args=(base, auth, big), daemon=True)
        slow.start()  # still sending its body when the server dies
        client = httpx.Client(base_url=base, headers=auth, timeout=60)
        posted = client.post("/v1/customs/manifests", files={"file": ("big.csv", big)})
        assert posted.status_code == 202, posted.text
        job_id = posted.json()["id"]
        deadline = time.monotonic() + 30
        while client.get(f"/v1/customs/manifests/{job_id}").json()["status"] == "queued":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        client.close()
        slow.join(timeout=30)
    with run_server(db_url, tmp_path) as base:
        state = httpx.get(f"{base}/v1/customs/manifests/{job_id}", headers=auth).json()
    if state["status"] == "done":
        pytest.fail("the job finished before the kill: make the manifest bigger")
    assert state["status"] == "failed"
    assert "server stopped" in state["message"]
    assert sorted(p.name for p in folder.iterdir()) == []  # no input, result or .partial

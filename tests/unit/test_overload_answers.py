"""At capacity the API answers 503 with Retry-After at once, never a hang or a 500."""

from __future__ import annotations

import threading
import time

import anyio
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ewtp.api.admission import Admission
from ewtp.api.problems import install_problem_handlers
from ewtp.domain.errors import Unavailable


def overloaded_app(limit: int, wait: float, release: threading.Event) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(Admission, limit=limit, wait=wait)

    @app.get("/slow")
    async def slow() -> dict[str, str]:
        while not release.is_set():
            await anyio.sleep(0.01)
        return {"ok": "yes"}

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/pool")
    def pool() -> None:
        raise PoolTimeout("QueuePool limit of size 4 overflow 2 reached")

    @app.get("/writer")
    def writer() -> None:
        raise Unavailable("the database writer stayed busy", retry_after=2)

    return app


def test_past_the_in_flight_limit_a_request_gets_503_after_the_bounded_wait() -> None:
    release = threading.Event()
    with TestClient(overloaded_app(limit=1, wait=0.2, release=release)) as client:
        first = threading.Thread(target=client.get, args=("/slow",))
        first.start()
        time.sleep(0.1)  # the only slot is taken
        started = time.monotonic()
        refused = client.get("/slow")
        waited = time.monotonic() - started
        assert client.get("/health").status_code == 200  # health skips the gate
        release.set()
        first.join()
        assert client.get("/slow").status_code == 200  # the slot came back
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "1"
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:ewtp:problem:overloaded"
    assert 0.2 <= waited < 2


def test_a_pool_timeout_and_a_busy_writer_are_503_with_retry_after() -> None:
    with TestClient(overloaded_app(1, 1.0, threading.Event())) as client:
        pool, writer = client.get("/pool"), client.get("/writer")
    assert (pool.status_code, pool.headers["Retry-After"]) == (503, "1")
    assert "no database connection was free" in pool.json()["detail"]
    assert (writer.status_code, writer.headers["Retry-After"]) == (503, "2")

"""Liveness and database reachability."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ewtp import __version__
from ewtp.adapters.db.health import probe_database
from ewtp.api.schemas.health import HealthPublic

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "The database is unreachable."}},
)
async def health(request: Request) -> JSONResponse:
    """Report whether the service and its database answer."""
    problem = await _probe(request.app.state)
    body = HealthPublic(
        status="ok" if problem is None else "unavailable",
        database="ok" if problem is None else f"unreachable: {problem}",
        version=__version__,
    )
    return JSONResponse(body.model_dump(), status_code=200 if problem is None else 503)


FRESH_SECONDS = 0.5  # a probe result is reused this long; a refresh runs meanwhile


class _Monitor:
    """`SELECT 1` on the health engine's own connection, on a thread of its own, at most
    every FRESH_SECONDS; /health answers the latest result at once while a refresh runs.

    Neither the request thread pool nor the main connection pool is involved, and a
    request never waits for a thread hop once a first probe has answered, so a server
    busy with bookings still answers /health in milliseconds. A database that goes away
    shows within FRESH_SECONDS plus the connect timeout.
    """

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="health")
        self._answered = False
        self._problem: str | None = None
        self._at = 0.0
        self._pending: asyncio.Future[str | None] | None = None

    async def problem(self) -> str | None:
        if self._pending is None and time.monotonic() - self._at > FRESH_SECONDS:
            loop = asyncio.get_running_loop()
            self._pending = loop.run_in_executor(self._executor, probe_database, self._engine)
            self._pending.add_done_callback(self._store)
        if not self._answered and self._pending is not None:
            await asyncio.shield(self._pending)
        return self._problem

    def _store(self, done: asyncio.Future[str | None]) -> None:
        self._problem = done.result() if done.exception() is None else repr(done.exception())
        self._answered, self._at, self._pending = True, time.monotonic(), None

    def close(self) -> None:
        self._executor.shutdown(wait=False)


async def _probe(state: Any) -> str | None:
    monitor: _Monitor | None = getattr(state, "health_monitor", None)
    if monitor is None:
        engine = getattr(state, "health_engine", None) or state.engine
        monitor = state.health_monitor = _Monitor(engine)
    return await monitor.problem()

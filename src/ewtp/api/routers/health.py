"""Liveness, database reachability, and the age of the customs exchange rates."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ewtp import __version__
from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.customs.fx_sources import newest_ecb_date
from ewtp.adapters.db.health import probe_database
from ewtp.api.schemas.health import FxHealth, HealthPublic
from ewtp.config import get_settings
from ewtp.domain.customs.fx_rules import rule_reference

__all__ = ["router"]

router = APIRouter(tags=["health"])
FRESH_SECONDS = 0.5  # a check's result is reused this long; a refresh runs meanwhile
Check = tuple[str | None, FxHealth | None]


def _fx(engine: Engine) -> FxHealth | None:
    today = utcnow().date()
    max_age = get_settings().fx_max_age_days
    try:
        with Session(engine) as session:
            newest = newest_ecb_date(session)
    except SQLAlchemyError:
        return None
    needed = rule_reference("BE", today)
    age = (today - newest).days if newest else None
    ok = newest is not None and age is not None and age <= max_age and newest >= needed
    return FxHealth(
        status="ok" if ok else "degraded",
        newest_rate_date=newest,
        age_days=age,
        max_age_days=max_age,
        needed_from=needed,
        fix=None if ok else "run `ewtp fx fetch` (or `ewtp fx load FILE` with the ECB file)",
    )


def _check(engine: Engine) -> Check:
    problem = probe_database(engine)
    return problem, (_fx(engine) if problem is None else None)


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "The database is unreachable."}},
    name="get_health",
)
async def health(request: Request) -> JSONResponse:
    """Report whether the service and its database answer, and how old the rates are."""
    problem, fx = await _monitor(request.app.state).check()
    status = "unavailable" if problem else ("degraded" if fx and fx.status != "ok" else "ok")
    body = HealthPublic(
        status=status,
        database="ok" if problem is None else f"unreachable: {problem}",
        version=__version__,
        fx=fx,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if problem is None else 503)


class _Monitor:
    """The health check on the health engine's own connection, on a thread of its own, at
    most every FRESH_SECONDS; /health answers the latest result at once while a refresh
    runs.

    Neither the request thread pool nor the main connection pool is involved, and a
    request never waits for a thread hop once a first check has answered, so a server
    busy with bookings still answers /health in milliseconds. A database that goes away
    shows within FRESH_SECONDS plus the connect timeout.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="health")
        self._answered = False
        self._result: Check = (None, None)
        self._at = 0.0
        self._pending: asyncio.Future[Check] | None = None

    async def check(self) -> Check:
        if self._pending is None and time.monotonic() - self._at > FRESH_SECONDS:
            loop = asyncio.get_running_loop()
            self._pending = loop.run_in_executor(self._executor, _check, self._engine)
            self._pending.add_done_callback(self._store)
        if not self._answered and self._pending is not None:
            await asyncio.shield(self._pending)
        return self._result

    def _store(self, done: asyncio.Future[Check]) -> None:
        error = done.exception()
        self._result = done.result() if error is None else (repr(error), None)
        self._answered, self._at, self._pending = True, time.monotonic(), None

    def close(self) -> None:
        self._executor.shutdown(wait=False)


def _monitor(state: Any) -> _Monitor:
    monitor: _Monitor | None = getattr(state, "health_monitor", None)
    if monitor is None:
        engine = getattr(state, "health_engine", None) or state.engine
        monitor = state.health_monitor = _Monitor(engine)
    return monitor

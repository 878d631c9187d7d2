"""Liveness and database reachability."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from ewtp import __version__
from ewtp.adapters.db.health import probe_database

__all__ = ["router"]

router = APIRouter(tags=["health"])


class HealthPublic(BaseModel):
    status: Literal["ok", "unavailable"]
    database: str
    version: str


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


async def _probe(state: Any) -> str | None:
    """`SELECT 1` on the health engine's own connection, on a thread of its own.

    Neither the request thread pool nor the main connection pool is involved, so a
    server busy with bookings still answers /health in milliseconds.
    """
    executor: ThreadPoolExecutor | None = getattr(state, "health_executor", None)
    if executor is None:
        executor = state.health_executor = ThreadPoolExecutor(1, thread_name_prefix="health")
    engine = getattr(state, "health_engine", None) or state.engine
    return await asyncio.get_running_loop().run_in_executor(executor, probe_database, engine)

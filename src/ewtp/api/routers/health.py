"""Liveness and database reachability."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from ewtp import __version__
from ewtp.adapters.db.health import probe_database
from ewtp.api.schemas.health import HealthPublic
from ewtp.http.deps import EngineDep

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "The database is unreachable."}},
    name="get_health",
)
def health(engine: EngineDep) -> JSONResponse:
    """Report whether the service and its database answer."""
    problem = probe_database(engine)
    body = HealthPublic(
        status="ok" if problem is None else "unavailable",
        database="ok" if problem is None else f"unreachable: {problem}",
        version=__version__,
    )
    return JSONResponse(body.model_dump(), status_code=200 if problem is None else 503)

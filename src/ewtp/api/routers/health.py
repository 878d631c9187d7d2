"""Liveness, database reachability, and the age of the customs exchange rates."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ewtp import __version__
from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.customs.fx_sources import newest_ecb_date
from ewtp.adapters.db.health import probe_database
from ewtp.api.schemas.health import FxHealth, HealthPublic
from ewtp.config import get_settings
from ewtp.domain.customs.fx_rules import rule_reference
from ewtp.http.deps import EngineDep

__all__ = ["router"]

router = APIRouter(tags=["health"])


def _fx(engine: EngineDep) -> FxHealth | None:
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


@router.get(
    "/health",
    response_model=HealthPublic,
    responses={503: {"model": HealthPublic, "description": "The database is unreachable."}},
    name="get_health",
)
def health(engine: EngineDep) -> JSONResponse:
    """Report whether the service and its database answer, and how old the rates are."""
    problem = probe_database(engine)
    fx = _fx(engine) if problem is None else None
    status = "unavailable" if problem else ("degraded" if fx and fx.status != "ok" else "ok")
    body = HealthPublic(
        status=status,
        database="ok" if problem is None else f"unreachable: {problem}",
        version=__version__,
        fx=fx,
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=200 if problem is None else 503)

"""The merchant engines as a FastAPI dependency, built once per application."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from ewtp.adapters.merchant.engines import MerchantEngines, build_engines
from ewtp.services.merchant.ports import AbstractCustomsEngine, AbstractRoutePlanner

__all__ = ["EnginesDep", "engines_of", "require_engines"]

_lock = threading.Lock()


def engines_of(request: Request) -> MerchantEngines:
    """The application's engines, built on first use (also callable outside `Depends`)."""
    state = request.app.state
    engines: MerchantEngines | None = getattr(state, "merchant_engines", None)
    if engines is None:
        with _lock:
            engines = getattr(state, "merchant_engines", None)
            if engines is None:
                engines = build_engines(state.session_factory)
                state.merchant_engines = engines
    return engines


async def get_engines(request: Request) -> MerchantEngines:
    return engines_of(request)


EnginesDep = Annotated[MerchantEngines, Depends(get_engines)]


def require_engines(engines: MerchantEngines) -> tuple[AbstractRoutePlanner, AbstractCustomsEngine]:
    """The route and customs engines, or 503 naming the one that is not installed."""
    if engines.planner is None:
        raise HTTPException(503, "the route engine is not installed in this build")
    if engines.customs is None:
        raise HTTPException(503, "the customs engine is not installed in this build")
    return engines.planner, engines.customs

"""The merchant engines as a FastAPI dependency, built once per application."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from ewtp.adapters.merchant.engines import MerchantEngines, build_engines

__all__ = ["EnginesDep", "engines_of"]

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

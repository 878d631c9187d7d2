"""Shared FastAPI dependencies, as `Annotated` aliases, and the one bearer-auth chain.

    Authorization: Bearer <key> ─► PrincipalDep (429 past the key's rate)
                                       └► MerchantDep / OperatorDep (403 otherwise)

A key is checked by `http.auth.principal_from_bearer` (header only, never a cookie); one
found valid is then trusted for `EWTP_AUTH_CACHE_SECONDS` (default 2 s) without a database read or worker-thread hop, so
a revoked key stops working within that time. Invalid keys are never cached.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.ttl_cache import NeedsIO, TtlCache, no_io
from ewtp.config import Settings
from ewtp.domain.accounts import Principal, Role, hash_key
from ewtp.domain.errors import Unavailable
from ewtp.http.auth import principal_from_bearer
from ewtp.http.rate_limit import charge_rate_limit
from ewtp.services.accounts import require_role

T = TypeVar("T")

__all__ = [
    "EngineDep",
    "LimitedMerchantDep",
    "MerchantDep",
    "OperatorDep",
    "PrincipalDep",
    "SessionFactoryDep",
    "SettingsDep",
    "run_limited",
]

_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`.")
_lock = threading.Lock()


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


async def get_session_factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


SettingsDep = Annotated[Settings, Depends(get_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
SessionFactoryDep = Annotated[sessionmaker[Session], Depends(get_session_factory)]


def _state(request: Request, name: str, make: Callable[[], T]) -> T:
    """A per-application object kept on `app.state`, made once on first use."""
    state = request.app.state
    value: T | None = getattr(state, name, None)
    if value is None:
        with _lock:
            value = getattr(state, name, None)
            if value is None:
                value = make()
                setattr(state, name, value)
    return value


async def run_limited(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run blocking work on at most `merchant_threads` worker threads.

    CPU-bound Python on many threads mostly trades the GIL back and forth; a few threads
    with the other requests queued on the event loop do more work per second and keep
    the latency tail short (and /health fast). A request that finds no thread free within
    `EWTP_OVERLOAD_WAIT_SECONDS` is answered 503 with Retry-After.
    """
    settings: Settings = request.app.state.settings
    threads = settings.merchant_threads
    limiter = _state(request, "thread_limiter", lambda: anyio.CapacityLimiter(threads))
    wait: float = settings.overload_wait_seconds
    admitted = False
    with anyio.move_on_after(wait):  # a bounded wait for a thread, never for the work
        await limiter.acquire()
        admitted = True
    if not admitted:
        raise Unavailable(
            f"the service is at capacity: no worker thread was free within {wait:g} s; "
            "retry shortly",
            retry_after=max(1, math.ceil(wait)),
        )
    try:
        return await anyio.to_thread.run_sync(partial(fn, *args))
    finally:
        limiter.release()


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """The caller behind the bearer key (401 when missing, unknown or revoked)."""
    settings: Settings = request.app.state.settings
    uow = SqlAlchemyUnitOfWork(request.app.state.session_factory)
    plain = credentials.credentials if credentials else None
    if not plain:
        principal = await run_limited(request, principal_from_bearer, uow, plain)
    else:
        cache: TtlCache[str, Principal] = _state(
            request, "principal_cache", lambda: TtlCache(settings.auth_cache_seconds)
        )
        digest = hash_key(plain)

        def check() -> Principal:
            return cache.get(digest, partial(principal_from_bearer, uow, plain))

        try:
            with no_io():
                principal = check()
        except NeedsIO:
            principal = await run_limited(request, check)
    request.state.principal = principal
    charge_rate_limit(request, principal)
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_merchant(principal: PrincipalDep) -> Principal:
    return require_role(principal, Role.MERCHANT)


async def get_operator(principal: PrincipalDep) -> Principal:
    return require_role(principal, Role.OPERATOR)


MerchantDep = Annotated[Principal, Depends(get_merchant)]
OperatorDep = Annotated[Principal, Depends(get_operator)]


# Every principal is charged its key's rate limit in `get_principal` (http/rate_limit.py),
# so the merchant routes' alias needs no step of its own.
LimitedMerchantDep = MerchantDep

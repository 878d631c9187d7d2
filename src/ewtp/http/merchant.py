"""Dependencies of the merchant API: its unit of work, the engines, the per-key rate limit
and Idempotency-Key handling shared by every POST."""

from __future__ import annotations

import gc
import math
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import Annotated, Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Header, Request, Security
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.ttl_cache import NeedsIO, TtlCache, no_io
from ewtp.config import Settings
from ewtp.domain.accounts import Principal, Role, hash_key
from ewtp.domain.errors import Conflict, Unavailable
from ewtp.domain.merchant.idempotency import Decision, fingerprint, validate_key
from ewtp.http.rate_limit import charge_rate_limit
from ewtp.services.accounts import authenticate, require_role
from ewtp.services.merchant.idempotency import abandon_key, complete_key, reserve_key

T = TypeVar("T")

__all__ = [
    "IdempotencyKeyHeader",
    "LimitedMerchantDep",
    "MerchantSettingsDep",
    "MerchantUowDep",
    "freeze_long_lived_heap",
    "idempotent",
    "merchant_uow",
    "quote_writer",
    "run_limited",
]

WAIT_FOR_TWIN_SECONDS = 15.0
POLL_SECONDS = 0.05


def merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    """A merchant unit of work on the application's database (also outside `Depends`)."""
    return SqlAlchemyMerchantUnitOfWork(request.app.state.session_factory)


async def get_merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    return merchant_uow(request)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


MerchantSettingsDep = Annotated[Settings, Depends(get_settings)]


MerchantUowDep = Annotated[SqlAlchemyMerchantUnitOfWork, Depends(get_merchant_uow)]


async def run_limited(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run blocking work on at most `merchant_threads` worker threads.

    CPU-bound Python on many threads mostly trades the GIL back and forth; a few threads
    with the other requests queued on the event loop do more work per second and keep
    the latency tail short (and /health fast). A request that finds no thread free within
    `EWTP_OVERLOAD_WAIT_SECONDS` is answered 503 with Retry-After.
    """
    state = request.app.state
    limiter: anyio.CapacityLimiter | None = getattr(state, "merchant_limiter", None)
    if limiter is None:
        limiter = anyio.CapacityLimiter(state.settings.merchant_threads)
        state.merchant_limiter = limiter
    wait: float = state.settings.overload_wait_seconds
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


_writer_lock = threading.Lock()
_heap_frozen = threading.Event()


def freeze_long_lived_heap() -> None:
    """Once per process, after the first quote: move every object alive now out of the
    cyclic garbage collector's reach (`gc.freeze`).

    By then the modules, the application, the compiled timetable and the customs tables
    are loaded: a few hundred thousand long-lived objects that each full (generation 2)
    collection scanned again, stalling every request in flight for 100-300 ms every few
    seconds under load. Later full collections scan only what was made after the freeze.
    """
    if not _heap_frozen.is_set():
        _heap_frozen.set()
        gc.collect()
        gc.freeze()


def quote_writer(request: Request) -> QuoteWriter:
    """The application's quote writer (group commit), made on first use."""
    state = request.app.state
    writer: QuoteWriter | None = getattr(state, "quote_writer", None)
    if writer is None:
        with _writer_lock:
            writer = getattr(state, "quote_writer", None)
            if writer is None:
                factory = state.session_factory
                writer = QuoteWriter(lambda: SqlAlchemyMerchantUnitOfWork(factory))
                state.quote_writer = writer
    return writer


_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer <key>`.")


async def limit_rate(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> Principal:
    """A merchant's principal (401/403 as everywhere), then the per-key rate limit.

    The key is checked with `services.accounts.authenticate` in one worker-thread hop
    (the generic `MerchantDep` chain takes four); a key found valid is then trusted for
    `EWTP_AUTH_CACHE_SECONDS` (default 2 s) without a database read or thread hop, so a
    revoked key stops working within that time. Invalid keys are never cached. Then the
    key's rate limit is charged (`http.rate_limit`, as on every authenticated route).
    """
    state = request.app.state
    settings: Settings = state.settings
    plain = credentials.credentials if credentials else None
    cache: TtlCache[str, Principal] | None = getattr(state, "principal_cache", None)
    if cache is None:
        cache = TtlCache(settings.auth_cache_seconds)
        state.principal_cache = cache
    uow = SqlAlchemyUnitOfWork(state.session_factory)
    principal = None
    if plain:
        digest = hash_key(plain)

        def check() -> Principal:
            return cache.get(digest, partial(authenticate, uow, plain))

        try:
            with no_io():
                principal = check()
        except NeedsIO:
            principal = await run_limited(request, check)
    else:
        principal = await run_limited(request, authenticate, uow, plain)
    request.state.principal = principal
    merchant = require_role(principal, Role.MERCHANT)
    charge_rate_limit(request, merchant)
    return merchant


LimitedMerchantDep = Annotated[Principal, Depends(limit_rate)]
IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Send the same key to retry safely: the first answer is replayed.",
    ),
]


def idempotent(
    request: Request,
    uow: SqlAlchemyMerchantUnitOfWork,
    merchant: Principal,
    settings: Settings,
    key: str | None,
    body: bytes,
    action: Callable[[], tuple[int, BaseModel]],
) -> Response:
    """Run `action` at most once per (merchant, key, body); replay its stored answer."""
    if key is None:
        status, model = action()
        return JSONResponse(model.model_dump(mode="json"), status_code=status)
    key = validate_key(key)  # stored, looked up, completed and released trimmed alike
    print_ = fingerprint(request.method, request.url.path, request.url.query, body)
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    lease = timedelta(seconds=settings.idempotency_lease_seconds)
    deadline = time.monotonic() + WAIT_FOR_TWIN_SECONDS
    while True:
        reservation = reserve_key(uow, merchant.account_id, key, print_, utcnow(), ttl, lease)
        if reservation.decision is not Decision.WAIT or time.monotonic() > deadline:
            break
        time.sleep(POLL_SECONDS)
    if reservation.decision is Decision.WAIT:
        raise Conflict(
            "a request with this Idempotency-Key is still being processed; retry shortly",
            field="Idempotency-Key",
        )
    record = reservation.record
    if reservation.decision is Decision.REPLAY and record is not None:
        return Response(
            content=record.body,
            status_code=record.status_code or 200,
            media_type=record.media_type,
            headers={"Idempotent-Replayed": "true"},
        )
    assert record is not None  # PROCEED: our reservation, whose created_at is the lease
    leased_at = record.created_at
    try:
        status, model = action()
    except BaseException:
        abandon_key(uow, merchant.account_id, key, leased_at)
        raise
    response = JSONResponse(model.model_dump(mode="json"), status_code=status)
    body_out = bytes(response.body)
    complete_key(uow, merchant.account_id, key, status, body_out, "application/json", leased_at)
    return response

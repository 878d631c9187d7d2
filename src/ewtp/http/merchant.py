"""Dependencies of the merchant API: its unit of work, the quote hot path's store and
runner, and the Idempotency-Key handling shared by every POST (auth and the rate limit
are in `deps`).

A request whose key is held by a twin still running waits for the twin's answer on the
event loop, polling the key with a growing pause, never on a worker thread: the
application has only `EWTP_MERCHANT_THREADS` of them (2 by default). Past
`WAIT_FOR_TWIN_SECONDS` it is answered 409, to retry shortly.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from functools import partial
from typing import Annotated, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Header, Request
from fastapi.responses import Response
from pydantic import BaseModel

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.merchant.inline_when_cached import InlineWhenCached
from ewtp.config import Settings
from ewtp.domain.accounts import Principal
from ewtp.domain.errors import Conflict
from ewtp.domain.merchant.idempotency import Decision, fingerprint, validate_key
from ewtp.http.deps import run_limited
from ewtp.services.merchant.idempotency import (
    Reservation,
    abandon_key,
    complete_key,
    reserve_key,
)
from ewtp.services.merchant.ports import AbstractQuoteStore, AbstractRunner

T = TypeVar("T")

__all__ = [
    "Answer",
    "IdempotencyKeyHeader",
    "MerchantUowDep",
    "answer",
    "idempotent",
    "idempotent_async",
    "merchant_uow",
    "quote_runner",
    "quote_store",
]

WAIT_FOR_TWIN_SECONDS = 15.0
FIRST_POLL_SECONDS = 0.01
MAX_POLL_SECONDS = 0.25
JSON = "application/json"

Answer = tuple[int, bytes]  # a status and its JSON body, as stored for replays


def answer(status: int, model: BaseModel) -> Answer:
    """`model` as the JSON body of an answer (pydantic's own encoder)."""
    return status, model.model_dump_json().encode()


def merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    """A merchant unit of work on the application's database (also outside `Depends`)."""
    return SqlAlchemyMerchantUnitOfWork(request.app.state.session_factory)


async def get_merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    return merchant_uow(request)


MerchantUowDep = Annotated[SqlAlchemyMerchantUnitOfWork, Depends(get_merchant_uow)]


def quote_store(request: Request) -> AbstractQuoteStore:
    """The application's quote store: its group-commit writer, run by the lifespan."""
    store: QuoteWriter = request.app.state.quote_store
    return store


def quote_runner(request: Request) -> AbstractRunner:
    """Pricing inline when its tables are cached, else on the application's few threads."""
    return InlineWhenCached(partial(run_limited, request))


IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Send the same key to retry safely: the first answer is replayed.",
    ),
]


async def idempotent(
    request: Request,
    uow: SqlAlchemyMerchantUnitOfWork,
    merchant: Principal,
    settings: Settings,
    key: str | None,
    body: bytes,
    action: Callable[[], tuple[int, BaseModel]],
    *,
    on_thread: Callable[[Callable[[], Answer]], Awaitable[Answer]] | None = None,
) -> Response:
    """`idempotent_async` of blocking `action`, run (and rendered) on a worker thread:
    `on_thread`, by default one of the application's few (`run_limited`)."""
    offload = on_thread or partial(run_limited, request)

    def rendered() -> Answer:
        return answer(*action())

    return await idempotent_async(
        request, uow, merchant, settings, key, body, partial(offload, rendered)
    )


async def idempotent_async(
    request: Request,
    uow: SqlAlchemyMerchantUnitOfWork,
    merchant: Principal,
    settings: Settings,
    key: str | None,
    body: bytes,
    action: Callable[[], Awaitable[Answer]],
) -> Response:
    """Run `action` at most once per (merchant, key, body); replay its stored answer."""
    if key is None:
        status, content = await action()
        return Response(content, status_code=status, media_type=JSON)
    key = validate_key(key)  # stored, looked up, completed and released trimmed alike
    print_ = fingerprint(request.method, request.url.path, request.url.query, body)
    reservation = await _reserve(request, uow, merchant.account_id, key, print_, settings)
    record = reservation.record
    if reservation.decision is Decision.WAIT:
        raise Conflict(
            "a request with this Idempotency-Key is still being processed; retry shortly",
            field="Idempotency-Key",
        )
    if reservation.decision is Decision.REPLAY and record is not None:
        return Response(
            content=record.body,
            status_code=record.status_code or 200,
            media_type=record.media_type,
            headers={"Idempotent-Replayed": "true"},
        )
    assert record is not None  # PROCEED: our reservation, whose created_at is the lease
    leased_at, account_id = record.created_at, merchant.account_id
    try:
        status, content = await action()
    except BaseException:
        with anyio.CancelScope(shield=True):  # released even when the request is cancelled
            await anyio.to_thread.run_sync(abandon_key, uow, account_id, key, leased_at)
        raise
    with anyio.CancelScope(shield=True):  # the action's effect is done: so is its answer
        await anyio.to_thread.run_sync(
            partial(complete_key, uow, account_id, key, status, content, JSON, leased_at)
        )
    return Response(content, status_code=status, media_type=JSON)


async def _reserve(
    request: Request,
    uow: SqlAlchemyMerchantUnitOfWork,
    account_id: str,
    key: str,
    print_: str,
    settings: Settings,
) -> Reservation:
    """Reserve the key, waiting (on the event loop) while a twin holds it; WAIT once
    `WAIT_FOR_TWIN_SECONDS` have passed."""
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    lease = timedelta(seconds=settings.idempotency_lease_seconds)
    deadline = time.monotonic() + WAIT_FOR_TWIN_SECONDS
    pause = FIRST_POLL_SECONDS
    while True:
        reserve = partial(reserve_key, uow, account_id, key, print_, utcnow(), ttl, lease)
        reservation = await run_limited(request, reserve)
        left = deadline - time.monotonic()
        if reservation.decision is not Decision.WAIT or left <= 0:
            return reservation
        await asyncio.sleep(min(pause, left))
        pause = min(2 * pause, MAX_POLL_SECONDS)

"""Dependencies of the merchant API: its unit of work, the quote writer, and the
Idempotency-Key handling shared by every POST (auth and the rate limit are in `deps`)."""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, TypeVar

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.config import Settings
from ewtp.domain.accounts import Principal
from ewtp.domain.errors import Conflict
from ewtp.domain.merchant.idempotency import Decision, fingerprint, validate_key
from ewtp.services.merchant.idempotency import abandon_key, complete_key, reserve_key

T = TypeVar("T")

__all__ = [
    "IdempotencyKeyHeader",
    "MerchantUowDep",
    "freeze_long_lived_heap",
    "idempotent",
    "merchant_uow",
    "quote_writer",
]

WAIT_FOR_TWIN_SECONDS = 15.0
POLL_SECONDS = 0.05


def merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    """A merchant unit of work on the application's database (also outside `Depends`)."""
    return SqlAlchemyMerchantUnitOfWork(request.app.state.session_factory)


async def get_merchant_uow(request: Request) -> SqlAlchemyMerchantUnitOfWork:
    return merchant_uow(request)


MerchantUowDep = Annotated[SqlAlchemyMerchantUnitOfWork, Depends(get_merchant_uow)]


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

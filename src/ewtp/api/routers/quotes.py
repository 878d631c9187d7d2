"""Quotes: price, duties and taxes, and the delivery date from the real timetable."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.ttl_cache import NeedsIO, no_io
from ewtp.api.problems import COMMON
from ewtp.api.schemas.quotes import QuotePublic, quote_public
from ewtp.api.schemas.shipment_request import QuoteCreate
from ewtp.domain.merchant.quotes import Quote
from ewtp.http.deps import LimitedMerchantDep, run_limited
from ewtp.http.merchant import (
    IdempotencyKeyHeader,
    MerchantUowDep,
    freeze_long_lived_heap,
    idempotent,
    merchant_uow,
    quote_writer,
)
from ewtp.http.merchant_engines import engines_of
from ewtp.services.merchant.quotes import QuoteCommand, build_quote, get_quote

__all__ = ["router"]

router = APIRouter(prefix="/v1/quotes", tags=["quotes"])


@router.post(
    "", status_code=201, response_model=QuotePublic, responses=COMMON, summary="Quote a shipment"
)
async def create_quote(
    body: QuoteCreate,
    request: Request,
    merchant: LimitedMerchantDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Quote every service level: price, duties and taxes (DDP), delivery date and CO2."""
    # The engines, settings and unit of work come from the application, not `Depends`:
    # resolving dependencies without parameters cost more per request than reading them.
    writer = quote_writer(request)
    engines = engines_of(request)

    def build() -> Quote:
        planner, customs = engines.planner, engines.customs
        command = QuoteCommand(merchant.account_id, body.to_domain(), utcnow())
        return build_quote(planner, customs, engines.card, command)

    if idempotency_key is None:
        try:  # inline when every table it needs is cached, else on a worker thread
            with no_io():
                quote = build()
        except NeedsIO:
            quote = await run_limited(request, build)
        await asyncio.wrap_future(writer.submit(quote))
        freeze_long_lived_heap()
        body_json = quote_public(quote).model_dump_json()  # pydantic's own JSON encoder
        return Response(body_json, status_code=201, media_type="application/json")

    def action() -> tuple[int, QuotePublic]:
        quote = build()
        writer.store(quote)
        return 201, quote_public(quote)

    fingerprint_body = body.model_dump_json().encode()
    uow, settings = merchant_uow(request), request.app.state.settings
    return await run_limited(
        request, idempotent, request, uow, merchant, settings, idempotency_key,
        fingerprint_body, action,
    )  # fmt: skip


@router.get(
    "/{quote_id}",
    summary="Read a quote",
    response_model=QuotePublic,
    responses={**COMMON, 404: {"description": "No such quote for this merchant."}},
    name="get_quote",
)
def read_quote(
    quote_id: Annotated[str, Path(max_length=64)],
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
) -> QuotePublic:
    """Read one of your quotes again (options stay bookable until expires_at)."""
    return quote_public(get_quote(uow, merchant.account_id, quote_id))

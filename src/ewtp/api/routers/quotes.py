"""Quotes: price, duties and taxes, and the delivery date from the real timetable."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.api.heap import freeze_long_lived_heap
from ewtp.api.problems import COMMON
from ewtp.api.schemas.quotes import QuotePublic, quote_public
from ewtp.api.schemas.shipment_request import QuoteCreate
from ewtp.http.deps import LimitedMerchantDep
from ewtp.http.merchant import (
    Answer,
    IdempotencyKeyHeader,
    MerchantUowDep,
    answer,
    idempotent_async,
    merchant_uow,
    quote_runner,
    quote_store,
)
from ewtp.http.merchant_engines import engines_of
from ewtp.services.merchant.quotes import QuoteCommand, get_quote, quote_shipment

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
    # The engines, store and unit of work come from the application, not `Depends`:
    # resolving dependencies without parameters cost more per request than reading them.
    engines = engines_of(request)

    async def action() -> Answer:  # after the key is ours: the quote is made now
        command = QuoteCommand(merchant.account_id, body.to_domain(), utcnow())
        quote = await quote_shipment(
            quote_store(request), quote_runner(request),
            engines.planner, engines.customs, engines.card, command,
        )  # fmt: skip
        freeze_long_lived_heap()  # once: the tables the first quote read live as long as the app
        return answer(201, quote_public(quote))

    uow, settings = merchant_uow(request), request.app.state.settings
    fingerprint_body = body.model_dump_json().encode() if idempotency_key else b""
    return await idempotent_async(
        request, uow, merchant, settings, idempotency_key, fingerprint_body, action
    )


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

"""Quotes: price, duties and taxes, and the delivery date from the real timetable."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.api.merchant_deps import (
    IdempotencyKeyHeader,
    LimitedMerchantDep,
    MerchantSettingsDep,
    MerchantUowDep,
    idempotent,
    run_limited,
)
from ewtp.api.merchant_engines_dep import EnginesDep, require_engines
from ewtp.api.merchant_schemas import QuoteCreate, QuotePublic, quote_public
from ewtp.services.quotes import QuoteCommand, get_quote, quote_shipment

__all__ = ["router"]

router = APIRouter(prefix="/v1/quotes", tags=["quotes"])
COMMON: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API key."},
    403: {"description": "Not a merchant key."},
    422: {"description": "Invalid input; every bad field is listed."},
    429: {"description": "Rate limit exceeded; see Retry-After."},
}


@router.post(
    "", status_code=201, response_model=QuotePublic, responses=COMMON, summary="Quote a shipment"
)
async def create_quote(
    body: QuoteCreate,
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    engines: EnginesDep,
    settings: MerchantSettingsDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Quote every service level: price, duties and taxes (DDP), delivery date and CO2."""

    def action() -> tuple[int, QuotePublic]:
        planner, customs = require_engines(engines)
        command = QuoteCommand(merchant.account_id, body.to_domain(), utcnow())
        quote = quote_shipment(uow, planner, customs, engines.card, command)
        return 201, quote_public(quote)

    fingerprint_body = body.model_dump_json().encode()
    return await run_limited(
        request, idempotent, request, uow, merchant, settings, idempotency_key,
        fingerprint_body, action,
    )  # fmt: skip


@router.get(
    "/{quote_id}",
    summary="Read a quote",
    response_model=QuotePublic,
    responses={**COMMON, 404: {"description": "No such quote for this merchant."}},
)
def read_quote(
    quote_id: Annotated[str, Path(max_length=64)],
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
) -> QuotePublic:
    """Read one of your quotes again (options stay bookable until expires_at)."""
    return quote_public(get_quote(uow, merchant.account_id, quote_id))

"""Draft edits and batch actions: PATCH a draft, book many, print many labels as one PDF.

Registered before `shipments` (module name order), so `/v1/shipments/labels` is not read
as a shipment id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.api.openapi import binary_response
from ewtp.api.problems import COMMON
from ewtp.api.schemas.shipment_batches import (
    BatchBookCreate,
    BatchBookPublic,
    ShipmentUpdate,
    batch_public,
)
from ewtp.api.schemas.shipments import ShipmentPublic, shipment_public
from ewtp.http.deps import LimitedMerchantDep, SettingsDep, run_limited
from ewtp.http.merchant import IdempotencyKeyHeader, MerchantUowDep, idempotent
from ewtp.http.merchant_engines import EnginesDep
from ewtp.services.merchant.drafts_and_batches import (
    MAX_BATCH,
    book_shipments,
    labels_pdf,
    update_draft,
)
from ewtp.services.merchant.shipments import get_shipment

__all__ = ["router"]

router = APIRouter(prefix="/v1/shipments", tags=["shipments"])


@router.get(
    "/labels",
    summary="Labels of several shipments (one PDF)",
    response_class=Response,
    responses={
        **COMMON,
        **binary_response("One page per label.", "application/pdf"),
        404: {"description": "An id is not one of your shipments (named as ids[n])."},
        409: {"description": "A shipment is not booked, or was cancelled (named as ids[n])."},
    },
    name="get_labels",
)
async def labels(
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    engines: EnginesDep,
    ids: Annotated[
        str, Query(min_length=1, max_length=MAX_BATCH * 40, description="Comma-separated ids.")
    ],
) -> Response:
    """Download the labels of up to 100 booked shipments as one PDF, in the order given."""
    chosen = [one.strip() for one in ids.split(",")]
    pdf = await run_limited(request, labels_pdf, uow, engines.labels, merchant.account_id, chosen)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="labels-{len(chosen)}.pdf"'},
    )


@router.post(
    "/bulk/book",
    summary="Book several drafts",
    response_model=BatchBookPublic,
    responses=COMMON,
    name="book_shipments",
)
async def bulk_book(
    body: BatchBookCreate,
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    engines: EnginesDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Book up to 100 drafts, each on its own; the answer says, id by id, booked or why not."""

    def action() -> tuple[int, BatchBookPublic]:
        items = book_shipments(
            uow, engines.planner, engines.customs, engines.labels, engines.card, engines.indicators,
            merchant.account_id, body.ids, utcnow(), body.service_level,
        )  # fmt: skip
        return 200, batch_public(items)

    fingerprint_body = body.model_dump_json().encode()
    return await idempotent(
        request, uow, merchant, settings, idempotency_key,
        fingerprint_body, action,
    )  # fmt: skip


@router.patch(
    "/{shipment_id}",
    summary="Edit a draft",
    response_model=ShipmentPublic,
    responses={
        **COMMON,
        404: {"description": "No such shipment for this merchant."},
        409: {"description": "Not a draft any more."},
    },
    name="update_shipment",
)
async def patch(
    shipment_id: Annotated[str, Path(max_length=64, description="The shipment id.")],
    body: ShipmentUpdate,
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
) -> ShipmentPublic:
    """Edit a draft: the fields sent replace the draft's own; a quoted option is dropped."""

    def edit() -> ShipmentPublic:
        current = get_shipment(uow, merchant.account_id, shipment_id)
        changed = update_draft(
            uow, merchant.account_id, shipment_id, body.apply(current.request), utcnow()
        )
        return shipment_public(changed)

    return await run_limited(request, edit)

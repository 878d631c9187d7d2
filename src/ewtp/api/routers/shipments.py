"""Shipments: create, list, read, book, cancel, label, customs records, bulk CSV."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Path, Query, Request, UploadFile
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.api.problems import COMMON, problem_response
from ewtp.api.schemas.shipment_import import BulkPublic, row_errors, row_warnings
from ewtp.api.schemas.shipment_request import QuoteCreate
from ewtp.api.schemas.shipments import (
    BookCreate,
    CustomsPublic,
    ShipmentFromQuote,
    ShipmentPublic,
    ShipmentsPublic,
    shipment_public,
)
from ewtp.domain.errors import InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.http.cursor import decode_cursor, encode_cursor
from ewtp.http.deps import LimitedMerchantDep, SettingsDep, run_limited
from ewtp.http.merchant import (
    IdempotencyKeyHeader,
    MerchantUowDep,
    idempotent,
)
from ewtp.http.merchant_engines import EnginesDep
from ewtp.services.merchant import import_shipments as bulk
from ewtp.services.merchant.shipments import (
    MAX_PAGE,
    BookCommand,
    book_shipment,
    cancel_shipment,
    create_shipment,
    get_customs,
    get_label,
    get_shipment,
    list_shipments,
)

__all__ = ["router"]

router = APIRouter(prefix="/v1/shipments", tags=["shipments"])
ONE: dict[int | str, dict[str, Any]] = {
    **COMMON,
    404: {"description": "No such shipment for this merchant."},
}
ShipmentId = Annotated[str, Path(max_length=64, description="The shipment id.")]


API_CURSOR = "is not a cursor this API returned"


@router.post(
    "",
    status_code=201,
    response_model=ShipmentPublic,
    responses=COMMON,
    summary="Create a shipment",
)
async def create(
    body: QuoteCreate | ShipmentFromQuote,
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Create a draft shipment from a full body (as for a quote) or a quote_option_id."""

    def action() -> tuple[int, ShipmentPublic]:
        if isinstance(body, ShipmentFromQuote):
            shipment = create_shipment(
                uow, merchant.account_id, utcnow(), quote_option_id=body.quote_option_id
            )
        else:
            shipment = create_shipment(uow, merchant.account_id, utcnow(), request=body.to_domain())
        return 201, shipment_public(shipment)

    fingerprint_body = body.model_dump_json().encode()
    return await run_limited(
        request, idempotent, request, uow, merchant, settings, idempotency_key,
        fingerprint_body, action,
    )  # fmt: skip


@router.get("", response_model=ShipmentsPublic, responses=COMMON, summary="List shipments")
def list_(
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    status: ShipmentStatus | None = None,
    created_from: Annotated[
        datetime | None, Query(description="Created at or after (ISO 8601 with zone).")
    ] = None,
    created_to: Annotated[
        datetime | None, Query(description="Created before (ISO 8601 with zone).")
    ] = None,
    tracking_number: Annotated[
        str | None, Query(max_length=20, description="An S10 number, e.g. CP000000015CN.")
    ] = None,
    reference: Annotated[
        str | None, Query(max_length=100, description="Your own order reference, exactly.")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
) -> ShipmentsPublic:
    """List your shipments, newest first; filter by status, dates, tracking number, reference."""
    for name, value in (("created_from", created_from), ("created_to", created_to)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput("must include a time zone", field=name)
    page = list_shipments(
        uow,
        merchant.account_id,
        status=status,
        created_from=created_from,
        created_to=created_to,
        after=decode_cursor(cursor, refusal=API_CURSOR),
        limit=limit,
        tracking_number=tracking_number,
        reference=reference,
    )
    data = [shipment_public(s) for s in page.shipments]
    return ShipmentsPublic(data=data, count=len(data), next_cursor=encode_cursor(page.next_after))


@router.get(
    "/bulk/template",
    summary="Bulk CSV template",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The CSV template."}},
)
def bulk_template() -> Response:
    """Download the bulk CSV template: the header and one example row."""
    return Response(
        bulk.template_csv(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="shipments-template.csv"'},
    )


@router.post(
    "/bulk",
    summary="Bulk CSV import",
    status_code=201,
    response_model=BulkPublic,
    responses={
        **COMMON,
        413: {"description": "Over 10 MB or 50,000 rows."},
    },
)
def bulk_import(
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    settings: SettingsDep,
    engines: EnginesDep,
    file: Annotated[UploadFile, File(description="CSV with the template's columns.")],
    atomic: Annotated[bool, Query(description="Create all rows or none.")] = False,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Create shipments from a CSV upload; bad rows are reported as {row, field, message}."""
    content = file.file.read(bulk.MAX_BYTES + 1)
    if len(content) > bulk.MAX_BYTES:
        raise HTTPException(413, f"the file is larger than {bulk.MAX_BYTES // 2**20} MB; split it")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("must be UTF-8 text", field="file") from None

    def action() -> tuple[int, BulkPublic]:
        result = bulk.import_shipments(
            uow, merchant.account_id, text, utcnow(), atomic=atomic, card=engines.card,
            customs=engines.customs,
        )  # fmt: skip
        return 201, BulkPublic(
            created=len(result.shipments),
            shipments=[shipment_public(s) for s in result.shipments],
            errors=row_errors(result.errors),
            warnings=row_warnings(result.warnings),
        )

    try:
        return idempotent(request, uow, merchant, settings, idempotency_key, content, action)
    except bulk.UploadTooLarge as exc:
        raise HTTPException(413, exc.message) from None
    except bulk.BulkRejected as exc:
        return problem_response(
            request,
            422,
            exc.message,
            code="bulk_rejected",
            errors=[e.model_dump() for e in row_errors(exc.errors)],
        )


@router.get(
    "/{shipment_id}", response_model=ShipmentPublic, responses=ONE, summary="Read a shipment"
)
def read(
    shipment_id: ShipmentId, merchant: LimitedMerchantDep, uow: MerchantUowDep
) -> ShipmentPublic:
    """Read one of your shipments."""
    return shipment_public(get_shipment(uow, merchant.account_id, shipment_id))


@router.post(
    "/{shipment_id}/book",
    summary="Book a shipment",
    response_model=ShipmentPublic,
    responses={**ONE, 409: {"description": "Not a draft, or the quote expired."}},
)
async def book(
    shipment_id: ShipmentId,
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    engines: EnginesDep,
    settings: SettingsDep,
    body: BookCreate | None = None,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Book: assign the S10 tracking number, the label and the customs records."""
    choice = body or BookCreate()

    def action() -> tuple[int, ShipmentPublic]:
        get_shipment(uow, merchant.account_id, shipment_id)  # 404 before anything else
        planner, customs = engines.planner, engines.customs
        command = BookCommand(
            merchant.account_id,
            shipment_id,
            utcnow(),
            quote_option_id=choice.quote_option_id,
            service_level=choice.service_level,
        )
        booked = book_shipment(
            uow, planner, customs, engines.labels, engines.card, engines.indicators, command
        )
        return 200, shipment_public(booked)

    fingerprint_body = choice.model_dump_json().encode()
    return await run_limited(
        request, idempotent, request, uow, merchant, settings, idempotency_key,
        fingerprint_body, action,
    )  # fmt: skip


@router.post(
    "/{shipment_id}/cancel",
    summary="Cancel a shipment",
    response_model=ShipmentPublic,
    responses={**ONE, 409: {"description": "Already handed over (or cancelled): says why."}},
)
async def cancel(
    shipment_id: ShipmentId,
    request: Request,
    merchant: LimitedMerchantDep,
    uow: MerchantUowDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKeyHeader = None,
) -> Response:
    """Cancel a shipment; allowed until handover to the network."""

    def action() -> tuple[int, ShipmentPublic]:
        return 200, shipment_public(
            cancel_shipment(uow, merchant.account_id, shipment_id, utcnow())
        )

    return await run_limited(
        request, idempotent, request, uow, merchant, settings, idempotency_key, b"", action
    )


@router.get(
    "/{shipment_id}/label",
    summary="Shipping label (PDF)",
    response_class=Response,
    responses={
        **ONE,
        200: {"content": {"application/pdf": {}}, "description": "A 100 x 150 mm PDF label."},
        409: {"description": "Not booked yet."},
    },
)
def label(shipment_id: ShipmentId, merchant: LimitedMerchantDep, uow: MerchantUowDep) -> Response:
    """Download the 100 x 150 mm PDF label with the Code 128 tracking barcode."""
    pdf = get_label(uow, merchant.account_id, shipment_id)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="label-{shipment_id}.pdf"'},
    )


@router.get(
    "/{shipment_id}/customs",
    summary="Customs records",
    response_model=CustomsPublic,
    responses={**ONE, 409: {"description": "Not booked yet."}},
)
def customs(
    shipment_id: ShipmentId, merchant: LimitedMerchantDep, uow: MerchantUowDep
) -> CustomsPublic:
    """The customs declaration records: H7 or H1, and the ICS2 PLACI record."""
    records = get_customs(uow, merchant.account_id, shipment_id)
    shipment = get_shipment(uow, merchant.account_id, shipment_id)
    return CustomsPublic(
        shipment_id=shipment.id, tracking_number=shipment.tracking_number or "", records=records
    )

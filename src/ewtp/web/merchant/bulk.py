"""Bulk upload: the CSV template, per-row errors against row and field, and at most one
import per file: the file's SHA-256 is the upload's Idempotency-Key, so sending the same
file again shows the first result and creates nothing new."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from ewtp.adapters.clock import utcnow
from ewtp.domain.errors import DomainError
from ewtp.domain.merchant.idempotency import Decision, fingerprint
from ewtp.services.merchant import import_shipments as bulk
from ewtp.services.merchant.idempotency import abandon_key, complete_key, reserve_key
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import merchant_uow
from ewtp.web.pages import CsrfDep, MerchantPage, render, settings_of

__all__ = ["router"]

router = APIRouter(prefix="/app/bulk", include_in_schema=False, dependencies=[CsrfDep])


def _page(request: Request, status: int = 200, **context: object) -> Response:
    base: dict[str, object] = {
        "errors": {},
        "row_errors": [],
        "created": None,
        "replayed": False,
        "atomic": True,
    }
    return render(request, "merchant/bulk.html", base | context, status_code=status)


@router.get("")
def bulk_page(request: Request, viewer: MerchantPage) -> Response:
    return _page(request)


@router.get("/template.csv")
def template(request: Request, viewer: MerchantPage) -> Response:
    return Response(
        bulk.template_csv(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="shipments-template.csv"'},
    )


@router.post("")
async def upload(request: Request, viewer: MerchantPage) -> Response:
    form = await request.form()
    file = form.get("file")
    atomic = form.get("atomic") == "1"
    if not isinstance(file, UploadFile) or not file.filename:
        return _page(request, 422, errors={"file": _("choose a CSV file")}, atomic=atomic)
    content = await file.read(bulk.MAX_BYTES + 1)
    if len(content) > bulk.MAX_BYTES:
        return _page(
            request,
            413,
            errors={"file": _("the file is larger than 10 MB; split it")},
            atomic=atomic,
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return _page(request, 422, errors={"file": _("must be UTF-8 text")}, atomic=atomic)
    settings = settings_of(request)
    uow = merchant_uow(request)
    key = "web-bulk-" + hashlib.sha256(content).hexdigest()[:48]
    print_ = fingerprint("POST", "/app/bulk", f"atomic={int(atomic)}", content)
    ttl = timedelta(hours=settings.idempotency_ttl_hours)
    lease = timedelta(seconds=settings.idempotency_lease_seconds)
    try:
        reservation = reserve_key(uow, viewer.account_id, key, print_, utcnow(), ttl, lease)
    except DomainError:  # same file, other mode: say so rather than import it twice
        return _page(
            request,
            409,
            errors={
                "file": _(
                    "this file was already uploaded with the other setting; nothing new was created"
                )
            },
            atomic=atomic,
        )
    record = reservation.record
    if reservation.decision is Decision.REPLAY and record is not None:
        first = json.loads(record.body or b"{}")
        return _page(
            request,
            200,
            created=first["created"],
            replayed=True,
            row_errors=first["errors"],
            atomic=atomic,
        )
    if reservation.decision is Decision.WAIT or record is None:
        return _page(
            request,
            409,
            errors={"file": _("this file is still being imported; reload in a moment")},
            atomic=atomic,
        )
    try:
        result = bulk.import_shipments(uow, viewer.account_id, text, utcnow(), atomic=atomic)
    except bulk.BulkRejected as exc:
        abandon_key(
            uow, viewer.account_id, key, record.created_at
        )  # nothing stored: may be fixed and sent again
        rows = [{"row": e.row, "field": e.field, "message": _(e.message)} for e in exc.errors]
        return _page(
            request,
            422,
            errors={"file": _("%(n)s row(s) are invalid; nothing was created") % {"n": len(rows)}},
            row_errors=rows,
            atomic=atomic,
        )
    except DomainError as exc:
        abandon_key(uow, viewer.account_id, key, record.created_at)
        return _page(request, 422, errors={"file": _(exc.message)}, atomic=atomic)
    rows = [{"row": e.row, "field": e.field, "message": _(e.message)} for e in result.errors]
    body = json.dumps({"created": len(result.shipments), "errors": rows}).encode()
    complete_key(uow, viewer.account_id, key, 201, body, "application/json", record.created_at)
    return _page(request, 201, created=len(result.shipments), row_errors=rows, atomic=atomic)

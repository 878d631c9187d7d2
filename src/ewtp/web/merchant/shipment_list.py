"""The shipments list: filters by status, creation dates and reference, search by
tracking number, keyset pages (the API's cursor format), and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from ewtp.domain.errors import DomainError, InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment
from ewtp.http.cursor import decode_cursor, encode_cursor
from ewtp.services.merchant.shipments import MAX_PAGE, list_shipments
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import merchant_uow
from ewtp.web.pages import CsrfDep, MerchantPage, render

__all__ = ["router"]

router = APIRouter(prefix="/app/shipments", include_in_schema=False, dependencies=[CsrfDep])
PAGE = 50
CSV_COLUMNS = (
    "id",
    "created_at",
    "status",
    "tracking_number",
    "reference",
    "destination_country",
    "service_level",
    "total",
    "currency",
)


PAGE_CURSOR = "is not a page link this site made"


class Filters:
    """The list's query string, read once and checked field by field."""

    def __init__(self, request: Request, zone: ZoneInfo) -> None:
        q = request.query_params
        self.status = q.get("status", "")
        self.date_from = q.get("from", "")
        self.date_to = q.get("to", "")
        self.reference = q.get("reference", "").strip()
        self.number = q.get("number", "").strip().upper().replace(" ", "")
        self.cursor = q.get("cursor") or None
        self.zone = zone

    def _day(self, raw: str, name: str, *, end: bool) -> datetime | None:
        if not raw:
            return None
        try:
            day = datetime.fromisoformat(raw).date()
        except ValueError:
            raise InvalidInput("must be a date such as 2026-12-01", field=name) from None
        start = datetime.combine(day, time(0), self.zone)
        return start + timedelta(days=1) if end else start

    def query(
        self,
        request: Request,
        account_id: str,
        limit: int,
        after: tuple[datetime, str] | None = None,
    ) -> tuple[list[Shipment], tuple[datetime, str] | None]:
        try:
            status = ShipmentStatus(self.status) if self.status else None
        except ValueError:
            raise InvalidInput("is not a shipment status", field="status") from None
        page = list_shipments(
            merchant_uow(request),
            account_id,
            status=status,
            created_from=self._day(self.date_from, "from", end=False),
            created_to=self._day(self.date_to, "to", end=True),
            after=after,
            limit=limit,
            tracking_number=self.number or None,
            reference=self.reference or None,
        )
        return page.shipments, page.next_after

    def link(self, **changes: str | None) -> str:
        values = {
            "status": self.status,
            "from": self.date_from,
            "to": self.date_to,
            "reference": self.reference,
            "number": self.number,
        }
        values.update({k: v or "" for k, v in changes.items()})
        return "?" + urlencode({k: v for k, v in values.items() if v})


def _zone(viewer: MerchantPage) -> ZoneInfo:
    assert viewer.who is not None
    try:
        return ZoneInfo(viewer.who.user.time_zone)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


@router.get("")
def shipments(request: Request, viewer: MerchantPage) -> Response:
    filters = Filters(request, _zone(viewer))
    errors: dict[str, str] = {}
    rows: list[Shipment] = []
    next_link = None
    try:
        rows, after = filters.query(
            request, viewer.account_id, PAGE, decode_cursor(filters.cursor, refusal=PAGE_CURSOR)
        )
        next_link = filters.link(cursor=encode_cursor(after)) if after else None
    except DomainError as exc:
        field = {"tracking_number": "number"}.get(exc.field or "", exc.field or "form")
        errors = {field: _(exc.message)}
    context = {
        "rows": rows,
        "filters": filters,
        "errors": errors,
        "next_link": next_link,
        "statuses": list(ShipmentStatus),
        "first_link": filters.link() if filters.cursor else None,
    }
    template = (
        "merchant/shipments_rows.html"
        if request.headers.get("hx-request") == "true"
        and request.headers.get("hx-target") == "rows"
        else "merchant/shipments.html"
    )
    return render(request, template, context, status_code=422 if errors else 200)


def _cell(text: str) -> str:
    """A merchant's own text, kept from being read as a formula by a spreadsheet (OWASP)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_lines(request: Request, account_id: str, filters: Filters) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    after = None
    while True:
        rows, after = filters.query(request, account_id, MAX_PAGE, after)
        for s in rows:
            price = s.option.price if s.option else None
            writer.writerow([
                s.id, s.created_at.isoformat(), s.status.value, s.tracking_number or "",
                _cell(s.request.reference or ""), s.destination_country,
                s.option.service_level.value if s.option else "",
                f"{price.total:.2f}" if price else "", price.currency if price else "",
            ])  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if after is None:
            return


@router.get("/export.csv")
def export(request: Request, viewer: MerchantPage) -> Response:
    """Every shipment the filters select, as CSV (pages of 100 read one after another)."""
    filters = Filters(request, _zone(viewer))
    try:
        filters.query(request, viewer.account_id, 1)  # refuse bad filters before streaming
    except DomainError as exc:
        return Response(f"{exc.field}: {exc.message}\n", status_code=422, media_type="text/plain")
    return StreamingResponse(
        _csv_lines(request, viewer.account_id, filters),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="shipments.csv"'},
    )

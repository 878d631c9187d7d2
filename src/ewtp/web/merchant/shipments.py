"""Shipments: the list (filters, keyset pages, CSV export), the detail page (timeline,
route, ETA, customs records, label), booking a draft and cancelling."""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response, StreamingResponse

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.hub_cities import hub_city
from ewtp.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment, cancel
from ewtp.services.merchant.shipments import (
    MAX_PAGE,
    BookCommand,
    book_shipment,
    cancel_shipment,
    get_label,
    get_shipment,
    list_shipments,
)
from ewtp.services.tracking.live_eta import RouteEta
from ewtp.services.tracking.track_shipment import track_shipment
from ewtp.web.i18n import gettext as _
from ewtp.web.labels import status_label
from ewtp.web.merchant.common import engines, merchant_uow, planner_and_customs, tracking_uow
from ewtp.web.pages import CsrfDep, MerchantPage, factory_of, not_found, redirect, render

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


def encode_cursor(after: tuple[datetime, str] | None) -> str | None:
    if after is None:
        return None
    raw = f"{after[0].isoformat()}|{after[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, shipment_id = raw.split("|", 1)
        moment = datetime.fromisoformat(at)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput("is not a page link this site made", field="cursor") from None
    if moment.tzinfo is None:
        raise InvalidInput("is not a page link this site made", field="cursor")
    return moment, shipment_id


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
        from urllib.parse import urlencode

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
        rows, after = filters.query(request, viewer.account_id, PAGE, decode_cursor(filters.cursor))
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


def _refusal(shipment: Shipment) -> str:
    """Why the domain refused to cancel, in the viewer's language."""
    if shipment.status is ShipmentStatus.CANCELLED:
        return _("the shipment is already cancelled")
    message = _(
        "the shipment is %(status)s: it was handed over to the network and can no longer be cancelled"
    )
    return message % {"status": status_label(shipment.status.value)}


def _detail(
    request: Request, account_id: str, shipment_id: str, error: str | None = None, status: int = 200
) -> Response:
    uow = merchant_uow(request)
    try:
        shipment = get_shipment(uow, account_id, shipment_id)
    except NotFound:
        return not_found(request)
    view = None
    if shipment.tracking_number:
        eta = RouteEta(lambda: SqlAlchemyNetworkUnitOfWork(factory_of(request)))
        view = track_shipment(
            tracking_uow(request),
            shipment_id=shipment.id,
            account_id=account_id,
            eta=eta,
            city=hub_city,
        )
    cancel_refusal = None
    try:
        cancel(shipment, utcnow())  # pure: only asks the domain whether and why not
    except Conflict:
        cancel_refusal = _refusal(shipment)
    context = {
        "s": shipment,
        "view": view,
        "timeline": list(reversed(view.timeline)) if view else [],
        "cancel_refusal": cancel_refusal,
        "error": error,
        "booked": request.query_params.get("booked") == "1",
        "city": hub_city,
    }
    return render(request, "merchant/shipment.html", context, status_code=status)


@router.get("/{shipment_id}")
def detail(request: Request, viewer: MerchantPage, shipment_id: str) -> Response:
    return _detail(request, viewer.account_id, shipment_id)


@router.get("/{shipment_id}/label.pdf")
def label(request: Request, viewer: MerchantPage, shipment_id: str) -> Response:
    try:
        pdf = get_label(merchant_uow(request), viewer.account_id, shipment_id)
    except NotFound:
        return not_found(request)
    except Conflict as exc:
        return _detail(request, viewer.account_id, shipment_id, _(exc.message), 409)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="label-{shipment_id}.pdf"'},
    )


@router.post("/{shipment_id}/cancel")
def cancel_page(request: Request, viewer: MerchantPage, shipment_id: str) -> Response:
    try:
        cancel_shipment(merchant_uow(request), viewer.account_id, shipment_id, utcnow())
    except NotFound:
        return not_found(request)
    except Conflict as exc:
        return _detail(request, viewer.account_id, shipment_id, _(exc.message), 409)
    return redirect(f"/app/shipments/{shipment_id}", request)


@router.post("/{shipment_id}/book")
def book_draft(
    request: Request,
    viewer: MerchantPage,
    shipment_id: str,
    service_level: Annotated[str, Form()] = "",
) -> Response:
    """Book a draft (e.g. from a bulk upload) at the standard level, or the one chosen."""
    uow = merchant_uow(request)
    try:
        get_shipment(uow, viewer.account_id, shipment_id)
    except NotFound:
        return not_found(request)
    try:
        from ewtp.domain.merchant.shipments import ServiceLevel

        level = ServiceLevel(service_level) if service_level else None
        used = engines(request)
        planner, customs = planner_and_customs(used)
        command = BookCommand(viewer.account_id, shipment_id, utcnow(), service_level=level)
        book_shipment(uow, planner, customs, used.labels, used.card, used.indicators, command)
    except (DomainError, ValueError) as exc:
        message = _(exc.message) if isinstance(exc, DomainError) else _("is not a service level")
        return _detail(request, viewer.account_id, shipment_id, message, 409)
    return redirect(f"/app/shipments/{shipment_id}?booked=1", request)

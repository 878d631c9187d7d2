"""Quote form, HS code search, option cards and booking from an option."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.customs.hs_nomenclature import hs2022
from ewtp.domain.errors import DomainError, NotFound
from ewtp.services.customs.hs_codes import search_hs_codes
from ewtp.services.merchant.quotes import QuoteCommand, get_quote, quote_shipment
from ewtp.services.merchant.shipments import BookCommand, book_shipment, create_shipment
from ewtp.services.users.settings import get_profile
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import engines, merchant_uow, planner_and_customs, users_uow
from ewtp.web.merchant.quote_form import blank_form, form_field, parse_form, read_form
from ewtp.web.merchant.warnings import customs_warnings
from ewtp.web.pages import CsrfDep, MerchantPage, not_found, redirect, render

__all__ = ["router"]

router = APIRouter(prefix="/app", include_in_schema=False, dependencies=[CsrfDep])
TARGET = re.compile(r"[A-Za-z0-9_-]{0,80}")
BATTERIES = ("UN3481", "UN3091", "UN3480", "UN3090")


def _quote_page(request: Request, form: object, status: int = 200) -> Response:
    return render(
        request, "merchant/quote.html", {"form": form, "batteries": BATTERIES}, status_code=status
    )


@router.get("/quote")
def quote_page(request: Request, viewer: MerchantPage) -> Response:
    profile = get_profile(users_uow(request), viewer.account_id)
    return _quote_page(request, blank_form(profile.default_sender, profile.ioss))


@router.post("/quote")
async def quote(request: Request, viewer: MerchantPage) -> Response:
    data = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    form = read_form(data)
    if "add_item" in data or "add_parcel" in data:  # the no-JavaScript way to add a row
        return _quote_page(request, form)
    try:
        shipment_request = parse_form(form)
        found = engines(request)
        planner, customs = planner_and_customs(found)
        command = QuoteCommand(viewer.account_id, shipment_request, utcnow())
        stored = quote_shipment(merchant_uow(request), planner, customs, found.card, command)
    except DomainError as exc:
        shown = form.errors or {form_field(exc.field): exc.message}
        form.errors = {name: _(message) for name, message in shown.items()}
        return _quote_page(request, form, status=422)
    return redirect(f"/app/quotes/{stored.id}", request)


@router.get("/hs")
def hs_search(
    request: Request,
    viewer: MerchantPage,
    q: Annotated[str, Query(max_length=100)] = "",
    target: str = "",
) -> Response:
    """Search HS 2022 by description; htmx gets the list, a plain browser a page."""
    # The same use case as GET /v1/hs; under two characters there is nothing to show yet.
    results = search_hs_codes(hs2022(), q) if len(q.strip()) >= 2 else []
    if not TARGET.fullmatch(target):  # it is written into an onclick handler: ids only
        target = ""
    return render(
        request, "merchant/hs_results.html", {"q": q, "results": results, "target": target}
    )


def _options_page(
    request: Request, account_id: str, quote_id: str, error: str | None = None, status: int = 200
) -> Response:
    try:
        found = get_quote(merchant_uow(request), account_id, quote_id)
    except NotFound:
        return not_found(request)
    context = {
        "quote": found,
        "warnings": customs_warnings(request, found),
        "expired": found.expires_at <= utcnow(),
        "error": error,
        "request_dict": asdict(found.request),
    }
    return render(request, "merchant/options.html", context, status_code=status)


@router.get("/quotes/{quote_id}")
def options(request: Request, viewer: MerchantPage, quote_id: str) -> Response:
    return _options_page(request, viewer.account_id, quote_id)


@router.post("/quotes/{quote_id}/book")
def book(
    request: Request, viewer: MerchantPage, quote_id: str, option_id: Annotated[str, Form()] = ""
) -> Response:
    uow = merchant_uow(request)
    try:
        found = get_quote(uow, viewer.account_id, quote_id)
    except NotFound:
        return not_found(request)
    if option_id not in {o.id for o in found.options}:
        return _options_page(
            request, viewer.account_id, quote_id, _("Choose one of the options."), 422
        )
    try:
        shipment = create_shipment(uow, viewer.account_id, utcnow(), quote_option_id=option_id)
        used = engines(request)
        planner, customs = planner_and_customs(used)
        command = BookCommand(viewer.account_id, shipment.id, utcnow(), quote_option_id=option_id)
        book_shipment(uow, planner, customs, used.labels, used.card, used.indicators, command)
    except DomainError as exc:
        return _options_page(
            request,
            viewer.account_id,
            quote_id,
            _(exc.message),
            409 if exc.code == "conflict" else 422,
        )
    return redirect(f"/app/shipments/{shipment.id}?booked=1", request)

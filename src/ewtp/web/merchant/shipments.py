"""A shipment's page (timeline, route, ETA, customs records, label), booking a draft,
and cancelling."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.hub_cities import hub_city
from ewtp.domain.errors import Conflict, DomainError, NotFound
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment, cancel
from ewtp.services.merchant.shipments import (
    BookCommand,
    book_shipment,
    cancel_shipment,
    get_label,
    get_shipment,
)
from ewtp.services.tracking.live_eta import RouteEta
from ewtp.services.tracking.track_shipment import track_shipment
from ewtp.web.i18n import gettext as _
from ewtp.web.labels import status_label
from ewtp.web.merchant.common import engines, merchant_uow, planner_and_customs, tracking_uow
from ewtp.web.pages import CsrfDep, MerchantPage, factory_of, not_found, redirect, render

__all__ = ["router"]

router = APIRouter(prefix="/app/shipments", include_in_schema=False, dependencies=[CsrfDep])


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

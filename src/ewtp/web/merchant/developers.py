"""Developers: API keys (shown once, revoke), webhooks (secret shown once, deliveries
with a status filter, retry) and the account's recent API requests."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.request_log import RequestLog
from ewtp.adapters.webhooks.sender import SsrfGuard
from ewtp.domain.errors import DomainError, NotFound
from ewtp.domain.users import Membership
from ewtp.domain.webhooks.model import EVENT_TYPES, DeliveryStatus
from ewtp.services.accounts import issue_key
from ewtp.services.users.settings import list_keys, revoke_account_key
from ewtp.services.webhooks.manage import (
    create_endpoint,
    delete_endpoint,
    get_endpoint,
    list_deliveries,
    list_endpoints,
    retry_delivery,
)
from ewtp.services.webhooks.ports import Delivery
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import tracking_uow, users_uow
from ewtp.web.pages import CsrfDep, MerchantPage, Viewer, not_found, redirect, render, settings_of

__all__ = ["router"]

router = APIRouter(prefix="/app/developers", include_in_schema=False, dependencies=[CsrfDep])


def _log(request: Request) -> RequestLog:
    log: RequestLog | None = getattr(request.app.state, "request_log", None)
    return log or RequestLog()


def _page(request: Request, viewer: Viewer, status: int = 200, **extra: object) -> Response:
    context: dict[str, object] = {
        "keys": list_keys(users_uow(request), viewer.account_id),
        "endpoints": list_endpoints(tracking_uow(request), viewer.account_id),
        "requests": _log(request).recent(viewer.account_id)[:50],
        "event_types": EVENT_TYPES,
        "errors": {},
        "new_key": None,
        "new_endpoint": None,
        "form": {"url": "", "events": list(EVENT_TYPES)},
        "owner": viewer.who is not None and viewer.who.user.role is Membership.OWNER,
    }
    return render(request, "merchant/developers.html", context | extra, status_code=status)


@router.get("")
def developers(request: Request, viewer: MerchantPage) -> Response:
    return _page(request, viewer)


@router.post("/keys")
def create_key(request: Request, viewer: MerchantPage) -> Response:
    issued = issue_key(users_uow(request), viewer.account_id, utcnow())
    return _page(request, viewer, 201, new_key=issued.plain)


@router.post("/keys/{key_id}/revoke")
def revoke(request: Request, viewer: MerchantPage, key_id: str) -> Response:
    try:
        revoke_account_key(users_uow(request), viewer.account_id, key_id, utcnow())
    except NotFound:
        return not_found(request)
    return redirect("/app/developers", request)


@router.post("/webhooks")
async def create_webhook(request: Request, viewer: MerchantPage) -> Response:
    form = await request.form()
    url = str(form.get("url") or "").strip()
    events = [str(e) for e in form.getlist("events")]
    settings = settings_of(request)
    guard = SsrfGuard(
        allow_private=settings.webhook_allow_private, allow_http=settings.webhook_allow_http
    )
    try:
        endpoint = create_endpoint(
            tracking_uow(request), guard, viewer.account_id, url, events, utcnow()
        )
    except DomainError as exc:
        errors = {exc.field or "url": _(exc.message)}
        return _page(request, viewer, 422, errors=errors, form={"url": url, "events": events})
    return _page(request, viewer, 201, new_endpoint=endpoint)


@router.get("/webhooks/{endpoint_id}")
def webhook(
    request: Request, viewer: MerchantPage, endpoint_id: str, status: str = "", after: str = ""
) -> Response:
    uow = tracking_uow(request)
    try:
        endpoint = get_endpoint(uow, viewer.account_id, endpoint_id)
    except NotFound:
        return not_found(request)
    errors: dict[str, str] = {}
    deliveries: list[Delivery] = []
    more = False
    try:
        wanted = DeliveryStatus(status) if status else None
        deliveries, more = list_deliveries(
            uow, viewer.account_id, endpoint_id, 50, status=wanted, starting_after=after or None
        )
    except ValueError:
        errors["status"] = _("is not a delivery status")
    except DomainError as exc:
        errors[exc.field or "form"] = _(exc.message)
    context = {
        "endpoint": endpoint,
        "deliveries": deliveries,
        "more": more,
        "status": status,
        "statuses": list(DeliveryStatus),
        "errors": errors,
    }
    return render(request, "merchant/webhook.html", context, status_code=422 if errors else 200)


@router.post("/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry")
def retry(request: Request, viewer: MerchantPage, endpoint_id: str, delivery_id: str) -> Response:
    try:
        retry_delivery(tracking_uow(request), viewer.account_id, endpoint_id, delivery_id, utcnow())
    except NotFound:
        return not_found(request)
    except DomainError:
        pass  # not tried yet: it will be sent anyway; the list shows it pending
    return redirect(f"/app/developers/webhooks/{endpoint_id}", request)


@router.post("/webhooks/{endpoint_id}/delete")
def delete(request: Request, viewer: MerchantPage, endpoint_id: str) -> Response:
    try:
        delete_endpoint(tracking_uow(request), viewer.account_id, endpoint_id, utcnow())
    except NotFound:
        return not_found(request)
    return redirect("/app/developers", request)

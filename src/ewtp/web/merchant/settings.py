"""Settings: default sender and IOSS (the account), language and time zone (the user),
members and invitations (the owner)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.domain.errors import DomainError
from ewtp.domain.users import Membership
from ewtp.http.auth import SESSION_COOKIE
from ewtp.http.auth.sessions import forget_session
from ewtp.services.users.manage import invite_user, list_members, set_preferences
from ewtp.services.users.settings import SENDER_FIELDS, get_profile, save_profile
from ewtp.web.i18n import LANGUAGES
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import users_uow
from ewtp.web.pages import CsrfDep, MerchantPage, Viewer, redirect, render

__all__ = ["router"]

router = APIRouter(prefix="/app/settings", include_in_schema=False, dependencies=[CsrfDep])
ZONES = (
    "UTC",
    "Asia/Shanghai",
    "Asia/Hong_Kong",
    "Europe/Brussels",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Warsaw",
    "Europe/London",
)


def _page(request: Request, viewer: Viewer, status: int = 200, **extra: object) -> Response:
    assert viewer.who is not None
    profile = get_profile(users_uow(request), viewer.account_id)
    users, invitations = list_members(users_uow(request), viewer.account_id, utcnow())
    context: dict[str, object] = {
        "sender": dict.fromkeys(SENDER_FIELDS, "") | (profile.default_sender or {}),
        "ioss": profile.ioss or "",
        "user": viewer.who.user,
        "languages": LANGUAGES,
        "zones": ZONES
        if viewer.who.user.time_zone in ZONES
        else (*ZONES, viewer.who.user.time_zone),
        "members": users,
        "invitations": invitations,
        "owner": viewer.who.user.role is Membership.OWNER,
        "errors": {},
        "invite_link": None,
        "saved": request.query_params.get("saved"),
    }
    return render(request, "merchant/settings.html", context | extra, status_code=status)


@router.get("")
def settings_page(request: Request, viewer: MerchantPage) -> Response:
    return _page(request, viewer)


@router.post("/profile")
async def profile(request: Request, viewer: MerchantPage) -> Response:
    form = await request.form()
    sender = {k: str(form.get(f"sender.{k}") or "") for k in SENDER_FIELDS}
    try:
        save_profile(
            users_uow(request), viewer.account_id, sender=sender, ioss=str(form.get("ioss") or "")
        )
    except DomainError as exc:
        return _page(
            request,
            viewer,
            422,
            errors={exc.field or "form": _(exc.message)},
            sender=sender,
            ioss=str(form.get("ioss") or ""),
        )
    return redirect("/app/settings?saved=profile", request)


@router.post("/preferences")
async def preferences(request: Request, viewer: MerchantPage) -> Response:
    assert viewer.who is not None
    form = await request.form()
    language = str(form.get("language") or "") or None
    try:
        set_preferences(
            users_uow(request),
            viewer.who.user.id,
            language=language,
            time_zone=str(form.get("time_zone") or "UTC"),
        )
    except DomainError as exc:
        return _page(request, viewer, 422, errors={exc.field or "form": _(exc.message)})
    forget_session(request.cookies.get(SESSION_COOKIE))  # the cached user has the old language
    return redirect("/app/settings?saved=preferences", request)


@router.post("/invite")
async def invite(request: Request, viewer: MerchantPage) -> Response:
    assert viewer.who is not None
    if viewer.who.user.role is not Membership.OWNER:
        return _page(
            request,
            viewer,
            403,
            errors={"invite_email": _("only the account's owner can invite members")},
        )
    form = await request.form()
    try:
        issued = invite_user(
            users_uow(request),
            account_id=viewer.account_id,
            email=str(form.get("invite_email") or ""),
            role=Membership.MEMBER,
            invited_by=viewer.who.user.id,
            now=utcnow(),
        )
    except DomainError as exc:
        field = "invite_email" if exc.field in (None, "email") else exc.field
        return _page(request, viewer, 422, errors={field: _(exc.message)})
    link = str(request.base_url).rstrip("/") + f"/invite/{issued.token}"
    return _page(request, viewer, 201, invite_link=link)

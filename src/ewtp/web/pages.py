"""What every page shares: the Jinja environment, rendering in the viewer's language,
the signed-in user, and the CSRF check on every unsafe request.

CSRF: a signed-in browser's token is its session's (`WebSession.csrf_token`); before
sign-in it is a random value in the `ewtp_csrf` cookie (double submit). Every form
carries it as `csrf_token`, every htmx request as the `X-CSRF-Token` header (set once on
`<body hx-headers>`); a POST without the right one is refused with 403.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import anyio.to_thread
from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session, sessionmaker

from ewtp.config import Settings
from ewtp.domain.accounts import Role
from ewtp.domain.errors import DomainError
from ewtp.http.auth import SESSION_COOKIE, signed_in
from ewtp.http.auth.cookies import cookie_is_secure
from ewtp.services.users.signin import SignedIn
from ewtp.web import i18n, labels
from ewtp.web.formatting import FILTERS

__all__ = [
    "CSRF_COOKIE",
    "CsrfDep",
    "MerchantPage",
    "OperatorPage",
    "Viewer",
    "ViewerDep",
    "factory_of",
    "field_errors",
    "not_found",
    "redirect",
    "render",
    "settings_of",
]

HERE = Path(__file__).resolve().parent
CSRF_COOKIE = "ewtp_csrf"
CSRF_HEADER = "x-csrf-token"
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}

ENV = Environment(
    loader=ChoiceLoader(
        [
            FileSystemLoader(HERE / "templates"),
            FileSystemLoader(HERE / "merchant" / "templates"),
            FileSystemLoader(HERE / "operator" / "templates"),
        ]
    ),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
ENV.filters.update(FILTERS)
ENV.globals["LANGUAGE_NAMES"] = i18n.LANGUAGE_NAMES
ENV.globals.update(
    status_label=labels.status_label,
    milestone_label=labels.milestone_label,
    service_label=labels.service_label,
)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def factory_of(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.session_factory
    return factory


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is looking: a signed-in user, or nobody (with the anonymous CSRF token)."""

    who: SignedIn | None
    csrf: str
    new_csrf_cookie: bool = False

    @property
    def account_id(self) -> str:
        assert self.who is not None
        return self.who.account.id


def _viewer(request: Request) -> Viewer:
    cached: Viewer | None = getattr(request.state, "viewer", None)
    if cached is not None:
        return cached
    who = signed_in(factory_of(request), settings_of(request), request.cookies.get(SESSION_COOKIE))
    if who is not None:
        viewer = Viewer(who, who.session.csrf_token)
    else:
        token = request.cookies.get(CSRF_COOKIE)
        viewer = (
            Viewer(None, token, False) if token else Viewer(None, secrets.token_urlsafe(32), True)
        )
    request.state.viewer = viewer
    return viewer


async def check_csrf(request: Request) -> None:
    """Every page's first dependency: who is viewing, in which language, and for an
    unsafe request, the CSRF check (403 without the viewer's token).

    It is async on purpose: the language set here (a context variable) is then the one
    the route sees, which runs on a worker thread in a copy of this task's context, so
    messages translated before rendering come out in the viewer's language too.
    """
    viewer = await anyio.to_thread.run_sync(_viewer, request)  # may read the database
    language, zone = language_of(request, viewer)
    i18n.use(language, zone)
    if request.method not in UNSAFE:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if viewer.new_csrf_cookie or not sent or not hmac.compare_digest(sent, viewer.csrf):
        raise HTTPException(
            403,
            "the form has expired or did not come from this site; reload the page and try again",
        )


def get_viewer(request: Request) -> Viewer:
    return _viewer(request)


ViewerDep = Annotated[Viewer, Depends(get_viewer)]
CsrfDep = Depends(check_csrf)


class SignInRequired(Exception):
    """Raised by page dependencies; answered with a redirect to /signin."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def get_merchant(request: Request) -> Viewer:
    viewer = _viewer(request)
    if viewer.who is None or viewer.who.account.role is not Role.MERCHANT:
        raise SignInRequired(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
    return viewer


MerchantPage = Annotated[Viewer, Depends(get_merchant)]


def get_operator(request: Request) -> Viewer:
    """The signed-in user of an operator account (for the console), else sign in."""
    viewer = _viewer(request)
    if viewer.who is None or viewer.who.account.role is not Role.OPERATOR:
        raise SignInRequired(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
        )
    return viewer


OperatorPage = Annotated[Viewer, Depends(get_operator)]


def language_of(request: Request, viewer: Viewer | None) -> tuple[str, str]:
    if viewer is not None and viewer.who is not None:
        user = viewer.who.user
        return user.language or i18n.negotiate(
            request.headers.get("accept-language")
        ), user.time_zone
    return i18n.negotiate(request.headers.get("accept-language")), "UTC"


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """Render a template in the viewer's language and zone; htmx asks for a fragment."""
    viewer = _viewer(request)
    language, zone = language_of(request, viewer)
    locale = i18n.use(language, zone)
    body = ENV.get_template(template).render(
        request=request,
        viewer=viewer,
        locale=locale,
        csrf_token=viewer.csrf,
        htmx=request.headers.get("hx-request") == "true",
        path=request.url.path,
        **(context or {}),
    )
    response = HTMLResponse(body, status_code=status_code, headers=headers)
    response.headers["Cache-Control"] = "no-store"
    if viewer.new_csrf_cookie:
        response.set_cookie(
            CSRF_COOKIE, viewer.csrf, httponly=True, samesite="lax",
            secure=cookie_is_secure(settings_of(request)), path="/",
        )  # fmt: skip
    return response


def redirect(url: str, request: Request | None = None) -> Response:
    """303 to `url`; an htmx request gets HX-Redirect so the whole page changes."""
    if request is not None and request.headers.get("hx-request") == "true":
        return Response(status_code=204, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def not_found(request: Request) -> HTMLResponse:
    """The same page for a missing object and another account's object."""
    return render(request, "web/not_found.html", status_code=404)


def field_errors(exc: DomainError) -> dict[str, str]:
    """{field path: translated reason}, for showing each error next to its field."""
    return {exc.field or "form": i18n.gettext(exc.message)}


def signin_redirect(next_url: str) -> Response:
    return RedirectResponse(f"/signin?next={quote(next_url, safe='/')}", status_code=303)

"""Sign up, sign in, sign out and accepting an invitation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.domain.errors import DomainError, NotFound
from ewtp.domain.users import TooManyAttempts
from ewtp.http.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    hasher_of,
    set_session_cookie,
    signin_policy,
)
from ewtp.http.auth.sessions import forget_session
from ewtp.services.users.manage import accept_invitation, open_invitation, sign_up
from ewtp.services.users.signin import SignedIn, sign_in, sign_out
from ewtp.web.i18n import gettext as _
from ewtp.web.i18n import negotiate
from ewtp.web.pages import (
    CsrfDep,
    factory_of,
    field_errors,
    not_found,
    redirect,
    render,
    settings_of,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False, dependencies=[CsrfDep])
FormStr = Annotated[str, Form()]


def _home(who: SignedIn) -> str:
    return "/app" if who.account.role is Role.MERCHANT else "/console"


def _safe_next(next_url: str | None) -> str | None:
    """Only a path on this site (no scheme, no //host), against open redirects."""
    if next_url and next_url.startswith("/") and not next_url.startswith(("//", "/\\")):
        return next_url
    return None


def _signed_in(request: Request, who: SignedIn, to: str) -> Response:
    response = redirect(to)
    assert who.token is not None
    set_session_cookie(response, who.token, settings_of(request))
    return response


@router.get("/")
def home(request: Request) -> Response:
    return redirect("/app")


@router.get("/signin")
def signin_page(request: Request, next: str = "") -> Response:
    return render(request, "auth/signin.html", {"errors": {}, "email": "", "next": next})


@router.post("/signin")
def signin(
    request: Request, email: FormStr = "", password: FormStr = "", next: FormStr = ""
) -> Response:
    settings = settings_of(request)
    ip = request.client.host if request.client else "unknown"
    try:
        who = sign_in(
            SqlAlchemyUsersUnitOfWork(factory_of(request)),
            hasher_of(settings),
            email=email,
            password=password,
            ip=ip,
            now=utcnow(),
            policy=signin_policy(settings),
            previous_token=request.cookies.get(SESSION_COOKIE),
        )
    except TooManyAttempts as exc:
        minutes = max(1, (exc.retry_after + 59) // 60)
        message = _("too many failed sign-ins; try again in %(minutes)s minute(s)") % {
            "minutes": minutes
        }
        context = {"errors": {"email": message}, "email": email, "next": next}
        return render(
            request, "auth/signin.html", context, status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )  # fmt: skip
    except DomainError as exc:
        context = {"errors": field_errors(exc), "email": email, "next": next}
        return render(
            request,
            "auth/signin.html",
            context,
            status_code=401 if exc.code == "unauthenticated" else 422,
        )
    forget_session(request.cookies.get(SESSION_COOKIE))  # ended by the sign-in
    return _signed_in(request, who, _safe_next(next) or _home(who))


@router.post("/signout")
def signout(request: Request) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    sign_out(SqlAlchemyUsersUnitOfWork(factory_of(request)), token, utcnow())
    forget_session(token)
    response = redirect("/signin")
    clear_session_cookie(response, settings_of(request))
    return response


@router.get("/signup")
def signup_page(request: Request) -> Response:
    return render(request, "auth/signup.html", {"errors": {}, "form": {"company": "", "email": ""}})


@router.post("/signup")
def signup(
    request: Request, company: FormStr = "", email: FormStr = "", password: FormStr = ""
) -> Response:
    settings = settings_of(request)
    try:
        who = sign_up(
            SqlAlchemyUsersUnitOfWork(factory_of(request)),
            hasher_of(settings),
            company=company,
            email=email,
            password=password,
            now=utcnow(),
            language=negotiate(request.headers.get("accept-language")),
        )
    except DomainError as exc:
        context = {"errors": field_errors(exc), "form": {"company": company, "email": email}}
        return render(request, "auth/signup.html", context, status_code=422)
    return _signed_in(request, who, "/app")


def _invitation_page(
    request: Request, token: str, errors: dict[str, str], status: int = 200
) -> Response:
    uow = SqlAlchemyUsersUnitOfWork(factory_of(request))
    try:
        invitation = open_invitation(uow, token, utcnow())
    except NotFound:
        return not_found(request)
    with uow:
        account = uow.accounts.get_account(invitation.account_id)
    context = {
        "invitation": invitation,
        "account_name": account.name if account else "",
        "errors": errors,
    }
    return render(request, "auth/invite.html", context, status_code=status)


@router.get("/invite/{token}")
def invitation_page(request: Request, token: str) -> Response:
    return _invitation_page(request, token, {})


@router.post("/invite/{token}")
def accept(request: Request, token: str, password: FormStr = "") -> Response:
    settings = settings_of(request)
    try:
        who = accept_invitation(
            SqlAlchemyUsersUnitOfWork(factory_of(request)),
            hasher_of(settings),
            token=token,
            password=password,
            now=utcnow(),
        )
    except NotFound:
        return not_found(request)
    except DomainError as exc:
        return _invitation_page(request, token, field_errors(exc), status=422)
    return _signed_in(request, who, _home(who))

"""What the page packages share, added to the application after `mount_pages`: the auth
pages (sign up, sign in and out, invitations), the shared static files at /static, and
page errors answered as pages rather than problem+json.

Called by `api/app.py:create_app`, the one composition root; nothing here imports `api/`.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from ewtp.web import auth_pages
from ewtp.web.i18n import gettext
from ewtp.web.pages import SignInRequired, render, signin_redirect

__all__ = ["STATIC", "install_pages"]

STATIC = Path(__file__).resolve().parent / "static"
PAGE_PREFIXES = ("/app", "/signin", "/signup", "/signout", "/invite", "/console")


def install_pages(app: FastAPI) -> None:
    """The auth pages, /static (after the packages' /static/<name>), and page errors."""
    app.include_router(auth_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    async def on_signin_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return signin_redirect(exc.next_url)

    app.add_exception_handler(SignInRequired, on_signin_required)
    json_handler = app.exception_handlers.get(StarletteHTTPException)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(PAGE_PREFIXES) and exc.status_code in (403, 404, 405, 413):
            titles = {
                403: gettext("Refused"),
                404: gettext("Not found"),
                405: gettext("Not allowed"),
                413: gettext("Too large"),
            }
            message = gettext(str(exc.detail)) if isinstance(exc.detail, str) else ""
            return render(
                request, "web/error.html", {"title": titles[exc.status_code], "message": message},
                status_code=exc.status_code,
            )  # fmt: skip
        assert json_handler is not None
        answer = json_handler(request, exc)
        return await answer if inspect.isawaitable(answer) else answer

    app.add_exception_handler(StarletteHTTPException, on_http)

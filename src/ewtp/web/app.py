"""Mount the pages on the application: auth pages, merchant pages, and later the console.

Called by `api/app.py:create_app`, the one composition root; nothing here imports `api/`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ewtp.web import auth_pages, merchant
from ewtp.web.pages import SignInRequired, render, signin_redirect

__all__ = ["install_pages"]

PAGE_PREFIXES = ("/app", "/signin", "/signup", "/signout", "/invite", "/console")


def _routers(package: object) -> list[APIRouter]:
    found = []
    path = getattr(package, "__path__", [])
    for info in sorted(pkgutil.iter_modules(path), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")  # type: ignore[attr-defined]
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            found.append(router)
    return found


def install_pages(app: FastAPI) -> None:
    """Include every page router and answer page errors with pages, not JSON."""
    app.include_router(auth_pages.router)
    for router in _routers(merchant):
        app.include_router(router)
    try:
        operator = importlib.import_module("ewtp.web.operator")
    except ImportError:  # pragma: no cover - the console is optional
        operator = None
    if operator is not None:
        for router in _routers(operator):
            app.include_router(router)

    async def on_signin_required(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInRequired)
        return signin_redirect(exc.next_url)

    app.add_exception_handler(SignInRequired, on_signin_required)
    json_handler = app.exception_handlers.get(StarletteHTTPException)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(PAGE_PREFIXES) and exc.status_code in (403, 404, 405, 413):
            from ewtp.web.i18n import gettext

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

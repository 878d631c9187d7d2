"""Interactive API docs served from vendored assets, so /docs and /redoc work offline.

FastAPI's defaults load Swagger UI and ReDoc from a CDN and Google Fonts, which leaves the
pages blank in air-gapped installs. The pinned files live in `web/apidocs/static/` (served
at /static/apidocs) with their licences and SHA-256 in `MANIFEST.json`.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

__all__ = ["STATIC", "router"]

STATIC = Path(__file__).resolve().parent / "static"

router = APIRouter(include_in_schema=False)
VENDOR = "/static/apidocs"
OPENAPI = "/openapi.json"
FAVICON = f"{VENDOR}/swagger-ui/favicon-32x32.png"
# ReDoc's bundle links its footer logo from a CDN; this policy keeps the browser from even
# trying, so the pages make no request beyond this server.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline' blob:; worker-src 'self' blob:; connect-src 'self'; "
    "font-src 'self' data:"
)


def _local_only(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CSP
    return page


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """Swagger UI over the OpenAPI document."""
    return _local_only(
        get_swagger_ui_html(
            openapi_url=OPENAPI,
            title="ewtp API",
            swagger_js_url=f"{VENDOR}/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url=f"{VENDOR}/swagger-ui/swagger-ui.css",
            swagger_favicon_url=FAVICON,
        )
    )


@router.get("/redoc")
def redoc() -> HTMLResponse:
    """ReDoc over the OpenAPI document."""
    return _local_only(
        get_redoc_html(
            openapi_url=OPENAPI,
            title="ewtp API",
            redoc_js_url=f"{VENDOR}/redoc/redoc.standalone.js",
            redoc_favicon_url=FAVICON,
            with_google_fonts=False,
        )
    )

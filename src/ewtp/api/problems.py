"""RFC 9457 problem details: the one shape of every error the API returns.

Domain errors map to HTTP status codes here and nowhere else.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from ewtp.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    Unauthenticated,
    Unavailable,
)

__all__ = ["COMMON", "PROBLEM_JSON", "install_problem_handlers", "problem_response"]

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("ewtp.api")

# The error answers of every authenticated merchant route, for OpenAPI (`responses=COMMON`);
# a route adds its own (404, 409) with `{**COMMON, 404: {...}}`.
COMMON: dict[int | str, dict[str, Any]] = {
    401: {"description": "Missing or invalid API key."},
    403: {"description": "Not a merchant key."},
    422: {"description": "Invalid input; every bad field is listed."},
    429: {"description": "Rate limit exceeded; see Retry-After."},
}

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,
    Unauthenticated: 401,
    Forbidden: 403,
    TooLarge: 413,
    Unavailable: 503,
}
RETRY_AFTER_SECONDS = 1  # a pool or SQLite lock wait that timed out frees up within ~1 s


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    code: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    """Build an `application/problem+json` response."""
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": f"urn:ewtp:problem:{code or phrase.lower().replace(' ', '_')}",
        "title": phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> tuple[str, str]:
    """Turn pydantic's location tuple into (where, 'items[0].hs_code')."""
    parts = list(loc)
    where = (
        str(parts.pop(0)) if parts and parts[0] in {"body", "query", "path", "header"} else "body"
    )
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return where, text or where


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        where, field = _field_path(err.get("loc", ()))
        errors.append({"field": field, "in": where, "reason": err.get("msg", "invalid")})
    summary = "; ".join(f"{e['field']}: {e['reason']}" for e in errors[:5])
    return problem_response(
        request, 422, f"invalid request: {summary}", code="validation_error", errors=errors
    )


async def _on_domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    status = next((s for t, s in STATUS_BY_ERROR.items() if isinstance(exc, t)), 400)
    listed = exc.field_errors()
    errors = [{"field": f, "reason": r} for f, r in listed] if listed else None
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(exc, Unavailable):
        headers = {"Retry-After": str(exc.retry_after)}
    return problem_response(
        request, status, str(exc), code=exc.code, errors=errors, headers=headers
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(
        request, exc.status_code, detail, headers=dict(exc.headers or {}) or None
    )


async def _on_database(request: Request, exc: Exception) -> JSONResponse:
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else "unreachable"
    log.warning("database unavailable: %s", reason)
    busy = "locked" in reason or "busy" in reason  # SQLite: another process is writing
    return problem_response(
        request,
        503,
        "the database is busy; retry shortly" if busy else "the database is unavailable",
        code="overloaded" if busy else "database_unavailable",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _on_pool_timeout(request: Request, _exc: Exception) -> JSONResponse:
    """Every pooled connection stayed busy for EWTP_OVERLOAD_WAIT_SECONDS: at capacity."""
    log.warning("no database connection free in time on %s %s", request.method, request.url.path)
    return problem_response(
        request,
        503,
        "the service is at capacity: no database connection was free in time; retry shortly",
        code="overloaded",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s: %r", request.method, request.url.path, exc, exc_info=exc)
    return problem_response(request, 500, "internal error; it has been logged", code="internal")


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error type to its problem+json rendering."""
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(DomainError, _on_domain)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(OperationalError, _on_database)
    app.add_exception_handler(PoolTimeout, _on_pool_timeout)
    app.add_exception_handler(Exception, _on_unexpected)

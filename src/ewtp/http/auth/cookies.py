"""The session cookie: opaque, HttpOnly, SameSite=Lax, Secure outside localhost."""

from __future__ import annotations

from starlette.responses import Response

from ewtp.config import Settings

__all__ = ["SESSION_COOKIE", "clear_session_cookie", "cookie_is_secure", "set_session_cookie"]

SESSION_COOKIE = "ewtp_session"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


def cookie_is_secure(settings: Settings) -> bool:
    if settings.cookie_secure is not None:
        return settings.cookie_secure
    return settings.host not in LOCAL_HOSTS


def set_session_cookie(response: Response, token: str, settings: Settings) -> None:
    """No Max-Age: the browser forgets it on close; the server enforces both expiries."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=cookie_is_secure(settings),
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=cookie_is_secure(settings)
    )

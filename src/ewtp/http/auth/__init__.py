"""Authentication shared by the entry points: API keys for `/v1` (header only) and the
web session cookie for pages. `api/` and `web/` both import from here, never each other.

A cookie never authenticates `/v1`: the API reads only `Authorization: Bearer`, so a
browser that is signed in to the pages has no API access from that alone (no CSRF on the
API by construction).
"""

from __future__ import annotations

from ewtp.http.auth.cookies import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from ewtp.http.auth.keys import principal_from_bearer
from ewtp.http.auth.sessions import hasher_of, session_policy, signed_in, signin_policy

__all__ = [
    "SESSION_COOKIE",
    "clear_session_cookie",
    "hasher_of",
    "principal_from_bearer",
    "session_policy",
    "set_session_cookie",
    "signed_in",
    "signin_policy",
]

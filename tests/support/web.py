"""Helpers for page tests: the CSRF token of a page, signing up and in with a client."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["PASSWORD", "csrf_of", "sign_in", "sign_up"]

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found[1]


def sign_up(client: Any, email: str, company: str = "Acme Ltd", password: str = PASSWORD) -> Any:
    token = csrf_of(client.get("/signup").text)
    data = {"csrf_token": token, "company": company, "email": email, "password": password}
    return client.post("/signup", data=data, follow_redirects=False)


def sign_in(client: Any, email: str, password: str = PASSWORD) -> Any:
    token = csrf_of(client.get("/signin").text)
    data = {"csrf_token": token, "email": email, "password": password}
    return client.post("/signin", data=data, follow_redirects=False)

"""Random tokens shown once, stored as their SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["digest_of", "new_token"]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

"""Accounts (merchants and hub operators) and their API keys.

A key is shown once and stored only as its SHA-256 digest: keys are 256-bit random
tokens, so a fast hash is enough (no dictionary to attack) and lets us look keys up by
digest in one indexed query.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import datetime

__all__ = ["KEY_PREFIX", "Account", "ApiKey", "Principal", "Role", "hash_key", "key_display_prefix"]

KEY_PREFIX = "ewtp_"


class Role(enum.StrEnum):
    """What an account may do."""

    MERCHANT = "merchant"
    OPERATOR = "operator"


@dataclass(frozen=True, slots=True)
class Account:
    """A tenant: a merchant shipping parcels, or a hub operator scanning them."""

    id: str
    name: str
    role: Role
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A credential of an account. Only its digest and a short display prefix are kept."""

    id: str
    account_id: str
    prefix: str
    digest: str
    created_at: datetime
    revoked_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the account behind a valid key."""

    account_id: str
    name: str
    role: Role
    key_id: str


def hash_key(plain: str) -> str:
    """Digest under which a key is stored and looked up."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def key_display_prefix(plain: str) -> str:
    """The first characters of a key, safe to show in listings and logs."""
    return plain[: len(KEY_PREFIX) + 8]

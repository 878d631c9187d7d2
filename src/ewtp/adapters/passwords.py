"""Password hashing with argon2id (argon2-cffi, RFC 9106 parameters by default)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ewtp.services.users.ports import AbstractPasswordHasher

__all__ = ["Argon2Hasher"]


class Argon2Hasher(AbstractPasswordHasher):
    """argon2id; `fast=True` uses the library's low-memory test profile (tests and seeds)."""

    def __init__(self, *, fast: bool = False) -> None:
        if fast:
            self._ph = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
        else:
            self._ph = PasswordHasher()

    def hash(self, password: str) -> str:
        return self._ph.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        try:
            return self._ph.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored: str) -> bool:
        try:
            return self._ph.check_needs_rehash(stored)
        except InvalidHashError:
            return False

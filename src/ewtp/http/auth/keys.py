"""API keys: the only credential `/v1` accepts."""

from __future__ import annotations

from ewtp.domain.accounts import Principal
from ewtp.services.accounts import AccountsUnitOfWork, authenticate

__all__ = ["principal_from_bearer"]


def principal_from_bearer(uow: AccountsUnitOfWork, bearer: str | None) -> Principal:
    """The principal of an `Authorization: Bearer` key; cookies are never consulted."""
    return authenticate(uow, bearer)

"""Use case: make sure the demo merchant exists and has a working key."""

from __future__ import annotations

from datetime import datetime

from ewtp.domain.accounts import Role
from ewtp.domain.errors import Unauthenticated
from ewtp.services.accounts import AccountsUnitOfWork, authenticate, create_account, issue_key

__all__ = ["ensure_demo_merchant"]


def ensure_demo_merchant(
    uow: AccountsUnitOfWork, name: str, known_key: str | None, now: datetime
) -> tuple[str, bool]:
    """Return a valid key of the demo merchant and whether it is new.

    Keys are stored only as digests, so the caller keeps the plain key (in `var/`) and
    hands it back; when it is missing or revoked a new one is issued.
    """
    if known_key:
        try:
            principal = authenticate(uow, known_key)
        except Unauthenticated:
            pass
        else:
            if principal.role is Role.MERCHANT:
                return known_key, False
    with uow:
        existing = uow.accounts.find_account_by_name(name, Role.MERCHANT)
    if existing is not None:
        return issue_key(uow, existing.id, now).plain, True
    return create_account(uow, name, Role.MERCHANT, now).plain, True

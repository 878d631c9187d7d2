"""Use cases on an account's web settings (default sender, IOSS) and its API keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ewtp.domain.accounts import ApiKey
from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.domain.merchant.shipments import COUNTRY, IOSS
from ewtp.services.users.ports import AccountProfile, UsersUnitOfWork

__all__ = ["SENDER_FIELDS", "get_profile", "list_keys", "revoke_account_key", "save_profile"]

SENDER_FIELDS = ("name", "line1", "city", "postal_code", "country")


def get_profile(uow: UsersUnitOfWork, account_id: str) -> AccountProfile:
    with uow:
        return uow.profiles.get(account_id)


def save_profile(
    uow: UsersUnitOfWork, account_id: str, *, sender: dict[str, Any], ioss: str | None
) -> AccountProfile:
    """Keep the default sender address and IOSS number the quote form starts from."""
    clean = {k: str(sender.get(k) or "").strip() for k in SENDER_FIELDS}
    if any(clean.values()):
        for name in ("name", "line1", "city", "postal_code"):
            if not clean[name]:
                raise InvalidInput("must not be empty", field=f"sender.{name}")
        clean["country"] = clean["country"].upper()
        if not COUNTRY.match(clean["country"]):
            raise InvalidInput("must be an ISO 3166 alpha-2 code", field="sender.country")
    number = (ioss or "").strip().upper() or None
    if number is not None and not IOSS.match(number):
        raise InvalidInput("must be IM followed by 10 digits", field="ioss")
    profile = AccountProfile(account_id, clean if any(clean.values()) else None, number)
    with uow:
        uow.profiles.put(profile)
        uow.commit()
    return profile


def list_keys(uow: UsersUnitOfWork, account_id: str) -> list[ApiKey]:
    with uow:
        return uow.keys.of_account(account_id)


def revoke_account_key(uow: UsersUnitOfWork, account_id: str, key_id: str, now: datetime) -> ApiKey:
    """Revoke one of the account's keys; another account's key is not found, like a missing one."""
    with uow:
        key = uow.accounts.find_key(key_id)
        if key is None or key.account_id != account_id or key.id != key_id:
            raise NotFound("no key with this id", field="key")
        if key.active:
            uow.accounts.revoke_key(key.id, now)
        uow.commit()
    return key

"""Use cases for accounts and API keys: create, authenticate, revoke."""

from __future__ import annotations

import abc
import secrets
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.accounts import (
    KEY_PREFIX,
    Account,
    ApiKey,
    Principal,
    Role,
    hash_key,
    key_display_prefix,
)
from ewtp.domain.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from ewtp.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractAccountRepository",
    "AccountsUnitOfWork",
    "IssuedKey",
    "authenticate",
    "create_account",
    "issue_key",
    "list_accounts",
    "new_account",
    "require_role",
    "revoke_key",
]

MAX_NAME_LENGTH = 200


class AbstractAccountRepository(abc.ABC):
    """Storage of accounts and key digests."""

    @abc.abstractmethod
    def add_account(self, account: Account) -> None: ...

    @abc.abstractmethod
    def get_account(self, account_id: str) -> Account | None: ...

    @abc.abstractmethod
    def find_account_by_name(self, name: str, role: Role) -> Account | None: ...

    @abc.abstractmethod
    def list_accounts(self, role: Role) -> list[Account]:
        """Every account of the role, oldest first."""

    @abc.abstractmethod
    def add_key(self, key: ApiKey) -> None: ...

    @abc.abstractmethod
    def find_key_by_digest(self, digest: str) -> ApiKey | None: ...

    @abc.abstractmethod
    def find_key(self, id_or_prefix: str) -> ApiKey | None: ...

    @abc.abstractmethod
    def revoke_key(self, key_id: str, at: datetime) -> None: ...


class AccountsUnitOfWork(AbstractUnitOfWork):
    """A unit of work that can see accounts."""

    accounts: AbstractAccountRepository


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A freshly created key: the only moment the plain text exists."""

    account: Account
    key: ApiKey
    plain: str


def new_account(name: str, role: Role, now: datetime, field: str = "name") -> Account:
    """A validated account, not yet stored (the web sign-up stores it with its owner)."""
    clean = name.strip()
    if not clean:
        raise InvalidInput("must not be empty", field=field)
    if len(clean) > MAX_NAME_LENGTH:
        raise InvalidInput(f"must be at most {MAX_NAME_LENGTH} characters", field=field)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in clean):
        raise InvalidInput("must not contain control characters", field=field)
    return Account(id=str(uuid.uuid4()), name=clean, role=role, created_at=now)


def create_account(uow: AccountsUnitOfWork, name: str, role: Role, now: datetime) -> IssuedKey:
    """Create a merchant or operator account with its first API key."""
    account = new_account(name, role, now)
    with uow:
        uow.accounts.add_account(account)
        issued = _new_key(uow, account, now)
        uow.commit()
    return issued


def list_accounts(uow: AccountsUnitOfWork, role: Role) -> list[Account]:
    """The accounts of one role, oldest first (e.g. to find a merchant's id for an import)."""
    with uow:
        return uow.accounts.list_accounts(role)


def issue_key(uow: AccountsUnitOfWork, account_id: str, now: datetime) -> IssuedKey:
    """Issue one more key for an existing account (e.g. to rotate credentials)."""
    with uow:
        account = uow.accounts.get_account(account_id)
        if account is None:
            raise NotFound("no such account", field="account_id")
        issued = _new_key(uow, account, now)
        uow.commit()
    return issued


def _new_key(uow: AccountsUnitOfWork, account: Account, now: datetime) -> IssuedKey:
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(
        id=str(uuid.uuid4()),
        account_id=account.id,
        prefix=key_display_prefix(plain),
        digest=hash_key(plain),
        created_at=now,
    )
    uow.accounts.add_key(key)
    return IssuedKey(account=account, key=key, plain=plain)


def authenticate(uow: AccountsUnitOfWork, plain: str | None) -> Principal:
    """Resolve a bearer key to its principal, or raise Unauthenticated."""
    if not plain:
        raise Unauthenticated(
            "missing API key; send 'Authorization: Bearer <key>'", field="authorization"
        )
    with uow:
        key = uow.accounts.find_key_by_digest(hash_key(plain))
        if key is None or not key.active:
            raise Unauthenticated("invalid or revoked API key", field="authorization")
        account = uow.accounts.get_account(key.account_id)
        if account is None:  # pragma: no cover - the foreign key forbids it
            raise Unauthenticated("invalid or revoked API key", field="authorization")
        return Principal(account_id=account.id, name=account.name, role=account.role, key_id=key.id)


def require_role(principal: Principal, *roles: Role) -> Principal:
    """Refuse a principal whose role is not among `roles`."""
    if principal.role not in roles:
        allowed = " or ".join(r.value for r in roles)
        raise Forbidden(f"this action needs a {allowed} key", field="authorization")
    return principal


def revoke_key(uow: AccountsUnitOfWork, id_or_prefix: str, now: datetime) -> ApiKey:
    """Revoke a key by its id or its display prefix; revoking twice is harmless."""
    with uow:
        key = uow.accounts.find_key(id_or_prefix.strip())
        if key is None:
            raise NotFound("no key with this id or prefix", field="key")
        if key.active:
            uow.accounts.revoke_key(key.id, now)
        uow.commit()
        return key

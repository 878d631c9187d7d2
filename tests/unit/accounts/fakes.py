"""In-memory fakes of the account ports, for fast service tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ewtp.domain.accounts import Account, ApiKey, Role
from ewtp.services.accounts import AbstractAccountRepository, AccountsUnitOfWork


class FakeAccountRepository(AbstractAccountRepository):
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.keys: dict[str, ApiKey] = {}

    def add_account(self, account: Account) -> None:
        self.accounts[account.id] = account

    def get_account(self, account_id: str) -> Account | None:
        return self.accounts.get(account_id)

    def find_account_by_name(self, name: str, role: Role) -> Account | None:
        return next((a for a in self.accounts.values() if a.name == name and a.role is role), None)

    def list_accounts(self, role: Role) -> list[Account]:
        found = [a for a in self.accounts.values() if a.role is role]
        return sorted(found, key=lambda a: (a.created_at, a.id))

    def add_key(self, key: ApiKey) -> None:
        self.keys[key.id] = key

    def find_key_by_digest(self, digest: str) -> ApiKey | None:
        return next((k for k in self.keys.values() if k.digest == digest), None)

    def find_key(self, id_or_prefix: str) -> ApiKey | None:
        return next((k for k in self.keys.values() if id_or_prefix in (k.id, k.prefix)), None)

    def revoke_key(self, key_id: str, at: datetime) -> None:
        self.keys[key_id] = replace(self.keys[key_id], revoked_at=at)


class FakeAccountsUnitOfWork(AccountsUnitOfWork):
    def __init__(self) -> None:
        self.accounts = FakeAccountRepository()
        self.committed = 0

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        pass

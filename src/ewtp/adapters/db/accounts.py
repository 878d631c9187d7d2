"""SQLAlchemy storage of accounts and API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.accounts import AccountRow, ApiKeyRow
from ewtp.domain.accounts import Account, ApiKey, Role
from ewtp.services.accounts import AbstractAccountRepository

__all__ = ["SqlAlchemyAccountRepository"]


class SqlAlchemyAccountRepository(AbstractAccountRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def add_account(self, account: Account) -> None:
        self._session.add(
            AccountRow(
                id=account.id,
                name=account.name,
                role=account.role.value,
                created_at=account.created_at,
            )
        )
        self._session.flush()

    def get_account(self, account_id: str) -> Account | None:
        row = self._session.get(AccountRow, account_id)
        return _account(row) if row else None

    def find_account_by_name(self, name: str, role: Role) -> Account | None:
        row = self._session.scalars(
            select(AccountRow)
            .where(AccountRow.name == name, AccountRow.role == role.value)
            .order_by(AccountRow.created_at)
            .limit(1)
        ).first()
        return _account(row) if row else None

    def list_accounts(self, role: Role) -> list[Account]:
        rows = self._session.scalars(
            select(AccountRow)
            .where(AccountRow.role == role.value)
            .order_by(AccountRow.created_at, AccountRow.id)
        )
        return [_account(row) for row in rows]

    def add_key(self, key: ApiKey) -> None:
        self._session.add(
            ApiKeyRow(
                id=key.id,
                account_id=key.account_id,
                prefix=key.prefix,
                digest=key.digest,
                created_at=key.created_at,
                revoked_at=key.revoked_at,
            )
        )
        self._session.flush()

    def find_key_by_digest(self, digest: str) -> ApiKey | None:
        row = self._session.scalars(select(ApiKeyRow).where(ApiKeyRow.digest == digest)).first()
        return _key(row) if row else None

    def find_key(self, id_or_prefix: str) -> ApiKey | None:
        row = self._session.scalars(
            select(ApiKeyRow).where(
                or_(ApiKeyRow.id == id_or_prefix, ApiKeyRow.prefix == id_or_prefix)
            )
        ).first()
        return _key(row) if row else None

    def revoke_key(self, key_id: str, at: datetime) -> None:
        self._session.execute(update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(revoked_at=at))


def _account(row: AccountRow) -> Account:
    return Account(id=row.id, name=row.name, role=Role(row.role), created_at=row.created_at)


def _key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        account_id=row.account_id,
        prefix=row.prefix,
        digest=row.digest,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )

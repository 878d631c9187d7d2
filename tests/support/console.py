"""Test helper: an operator account with a web user who can sign in to the console."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
from ewtp.adapters.passwords import Argon2Hasher
from ewtp.domain.accounts import Role
from ewtp.domain.users import Membership
from ewtp.services.accounts import IssuedKey, create_account
from ewtp.services.users.manage import create_user
from support.web import PASSWORD

__all__ = ["OPERATOR_EMAIL", "make_operator"]

OPERATOR_EMAIL = "planner@ops.ewtp.example"


def make_operator(factory: sessionmaker[Session], email: str = OPERATOR_EMAIL) -> IssuedKey:
    """An operator account (its API key in `.plain`) and its owner `email` / PASSWORD."""
    now = datetime.now(UTC)
    created = create_account(SqlAlchemyUnitOfWork(factory), "Network planning", Role.OPERATOR, now)
    create_user(
        SqlAlchemyUsersUnitOfWork(factory), Argon2Hasher(fast=True),
        account_id=created.account.id, email=email, password=PASSWORD,
        role=Membership.OWNER, now=now,
    )  # fmt: skip
    return created

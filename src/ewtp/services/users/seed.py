"""Use case: the demo merchant's and demo operator's web sign-in, for `ewtp seed`."""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import datetime

from ewtp.domain.accounts import Role
from ewtp.domain.users import Membership
from ewtp.services.accounts import new_account
from ewtp.services.users.manage import _new_user
from ewtp.services.users.ports import AbstractPasswordHasher, UsersUnitOfWork

__all__ = ["ensure_demo_user"]


def ensure_demo_user(
    uow: UsersUnitOfWork,
    hasher: AbstractPasswordHasher,
    *,
    account_name: str,
    role: Role,
    email: str,
    known_password: str | None,
    now: datetime,
) -> tuple[str, bool]:
    """The owner of the named demo account and a password that works; True when new.

    Passwords are stored only as argon2 hashes, so the caller keeps the plain one (in
    `var/`) and hands it back; when it no longer matches, a new one is set.
    """
    with uow:
        user = uow.users.by_email(email)
        if (
            user is not None
            and known_password
            and hasher.verify(user.password_hash, known_password)
        ):
            if not user.active:
                uow.users.update(replace(user, disabled_at=None))
                uow.commit()
            return known_password, False
        password = secrets.token_urlsafe(12)
        if user is not None:
            uow.users.update(replace(user, password_hash=hasher.hash(password), disabled_at=None))
        else:
            account = uow.accounts.find_account_by_name(account_name, role)
            if account is None:
                account = new_account(account_name, role, now)
                uow.accounts.add_account(account)
            _new_user(uow, hasher, account.id, email, password, Membership.OWNER, now)
        uow.commit()
    return password, True

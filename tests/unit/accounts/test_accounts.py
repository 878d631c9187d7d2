from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest

from ewtp.domain.accounts import Role
from ewtp.domain.errors import Forbidden, InvalidInput, NotFound, Unauthenticated
from ewtp.services.accounts import authenticate, create_account, require_role, revoke_key

from .fakes import FakeAccountsUnitOfWork

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_a_new_merchant_key_authenticates_as_that_merchant() -> None:
    uow = FakeAccountsUnitOfWork()
    issued = create_account(uow, "Acme Ltd", Role.MERCHANT, NOW)
    principal = authenticate(uow, issued.plain)
    assert principal.account_id == issued.account.id
    assert principal.role is Role.MERCHANT
    assert uow.committed == 1


def test_only_the_sha256_digest_of_a_key_is_stored() -> None:
    uow = FakeAccountsUnitOfWork()
    issued = create_account(uow, "Acme Ltd", Role.MERCHANT, NOW)
    (stored,) = uow.accounts.keys.values()
    assert stored.digest == hashlib.sha256(issued.plain.encode()).hexdigest()
    assert issued.plain not in repr(stored)


def test_a_revoked_key_no_longer_authenticates() -> None:
    uow = FakeAccountsUnitOfWork()
    issued = create_account(uow, "Acme Ltd", Role.MERCHANT, NOW)
    revoke_key(uow, issued.key.prefix, NOW)
    with pytest.raises(Unauthenticated):
        authenticate(uow, issued.plain)


@pytest.mark.parametrize("key", [None, "", "ewtp_not-a-real-key"])
def test_missing_or_unknown_keys_are_unauthenticated(key: str | None) -> None:
    uow = FakeAccountsUnitOfWork()
    with pytest.raises(Unauthenticated) as info:
        authenticate(uow, key)
    assert info.value.field == "authorization"


def test_an_operator_key_is_forbidden_where_a_merchant_is_needed() -> None:
    uow = FakeAccountsUnitOfWork()
    issued = create_account(uow, "Liège hub", Role.OPERATOR, NOW)
    with pytest.raises(Forbidden):
        require_role(authenticate(uow, issued.plain), Role.MERCHANT)


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_account_names_must_be_present_and_bounded(name: str) -> None:
    with pytest.raises(InvalidInput) as info:
        create_account(FakeAccountsUnitOfWork(), name, Role.MERCHANT, NOW)
    assert info.value.field == "name"


def test_revoking_an_unknown_key_names_the_key() -> None:
    with pytest.raises(NotFound) as info:
        revoke_key(FakeAccountsUnitOfWork(), "ewtp_nothing", NOW)
    assert info.value.field == "key"

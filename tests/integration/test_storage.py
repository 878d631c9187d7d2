"""Storage basics on both backends: migrations, pragmas, accounts round trip."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import current_revisions, pending_revisions, upgrade
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.domain.errors import Unauthenticated
from ewtp.services.accounts import authenticate, create_account, revoke_key

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


def test_upgrade_is_idempotent(db_url: str) -> None:
    engine = make_engine(db_url)
    assert upgrade(engine) == []
    assert pending_revisions(engine) == []
    assert "0001" not in current_revisions(engine) or current_revisions(engine) == ["0001"]
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: pytest.TempPathFactory) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/x/y.db")
    upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        with pytest.raises(IntegrityError):
            conn.execute(
                text(
                    "INSERT INTO api_keys (id, account_id, prefix, digest, created_at) "
                    "VALUES ('k', 'no-such-account', 'p', 'd', '2026-01-01')"
                )
            )
    engine.dispose()


def test_accounts_and_keys_round_trip_with_aware_utc_times(db_url: str) -> None:
    engine = make_engine(db_url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    issued = create_account(uow, "Acme Ltd", Role.MERCHANT, NOW)
    principal = authenticate(uow, issued.plain)
    assert (principal.name, principal.role) == ("Acme Ltd", Role.MERCHANT)
    with uow:
        account = uow.accounts.get_account(issued.account.id)
    assert account is not None
    assert account.created_at == NOW
    assert account.created_at.tzinfo is not None
    revoke_key(uow, issued.key.id, NOW)
    with pytest.raises(Unauthenticated):
        authenticate(uow, issued.plain)
    engine.dispose()


def test_a_failed_use_case_writes_nothing(db_url: str) -> None:
    engine = make_engine(db_url)
    uow = SqlAlchemyUnitOfWork(make_session_factory(engine))
    with uow:
        uow.session.execute(
            text(
                "INSERT INTO accounts (id, name, role, created_at) "
                "VALUES ('a1', 'Half written', 'merchant', :now)"
            ),
            {"now": NOW.replace(tzinfo=None)},
        )
        # leaving without commit must roll back
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM accounts")).scalar() == 0
    engine.dispose()

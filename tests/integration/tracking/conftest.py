"""Fixtures of tracking integration tests: a session factory, accounts, shipments, and
`store`, the in-memory fakes and each database behind one face (`stores.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy.orm import Session, sessionmaker

from conftest import BACKENDS, backend_url
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import IssuedKey, create_account

if TYPE_CHECKING:
    from integration.tracking.stores import Store

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)


@dataclass
class Db:
    url: str
    factory: sessionmaker[Session]

    def uow(self) -> SqlAlchemyTrackingUnitOfWork:
        return SqlAlchemyTrackingUnitOfWork(self.factory)

    def account(self, name: str, role: Role = Role.MERCHANT) -> IssuedKey:
        return create_account(self.uow(), name, role, NOW)


@pytest.fixture
def db(db_url: str) -> Iterator[Db]:
    engine = make_engine(db_url)
    yield Db(db_url, make_session_factory(engine))
    engine.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Db]:
    engine = make_engine(pg_url)
    yield Db(pg_url, make_session_factory(engine))
    engine.dispose()


@pytest.fixture(params=["fake", *BACKENDS])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The tracking use cases' storage: in-memory fakes, SQLite, PostgreSQL."""
    from integration.tracking.stores import DbStore, FakeStore

    if request.param == "fake":
        yield FakeStore()
        return
    url = backend_url(request, request.param, tmp_path)
    engine = make_engine(url)
    yield DbStore(Db(url, make_session_factory(engine)), request.param)
    engine.dispose()


UowFactory = Callable[[], SqlAlchemyTrackingUnitOfWork]

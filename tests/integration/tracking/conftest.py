"""Fixtures of tracking integration tests: a session factory, accounts, shipments."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import IssuedKey, create_account

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


UowFactory = Callable[[], SqlAlchemyTrackingUnitOfWork]

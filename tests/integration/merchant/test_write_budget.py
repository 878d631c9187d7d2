"""The connection budget: bounded waits for a pooled connection and the SQLite writer."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ewtp.adapters.db.engine import PoolBudget, make_engine, make_session_factory
from ewtp.adapters.db.merchant import uow as merchant_uow
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.migrate import upgrade
from ewtp.domain.errors import Unavailable
from ewtp.domain.lifecycle import ShipmentStatus

from .helpers import NOW


def test_a_writer_waits_for_the_sqlite_lock_no_longer_than_the_pool_timeout(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", pool=PoolBudget(2, 0, 0.3))
    upgrade(engine)
    uow = SqlAlchemyMerchantUnitOfWork(make_session_factory(engine))
    assert merchant_uow._SQLITE_WRITES.acquire(timeout=1)  # another writer holds it
    try:
        started = time.monotonic()
        with pytest.raises(Unavailable, match="retry shortly"), uow:
            uow.shipments.claim("a", "s", ShipmentStatus.DRAFT, ShipmentStatus.BOOKED, NOW)
        assert 0.3 <= time.monotonic() - started < 2
    finally:
        merchant_uow._SQLITE_WRITES.release()
        engine.dispose()


def test_past_the_pool_budget_a_caller_waits_the_pool_timeout_then_fails(db_url: str) -> None:
    engine = make_engine(db_url, pool=PoolBudget(1, 1, 0.3))
    held = [engine.connect(), engine.connect()]  # size + overflow
    try:
        started = time.monotonic()
        with pytest.raises(PoolTimeout):
            engine.connect()
        assert 0.3 <= time.monotonic() - started < 2
    finally:
        for connection in held:
            connection.close()
        engine.dispose()

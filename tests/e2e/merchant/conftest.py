"""A live server on a seeded database with two merchants, for the merchant e2e tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.merchant.helpers import NOW, factory, merchant_key, seed_network
from support.server import run_server


@dataclass
class Live:
    base: str
    alice: httpx.Client
    bob: httpx.Client
    db_url: str
    operator_key: str


def live_server(db_url: str, var_dir: Path, **env: str) -> Iterator[Live]:
    with factory(db_url) as sessions:
        seed_network(sessions)
        alice, bob = merchant_key(sessions, "Alice"), merchant_key(sessions, "Bob")
        operator = create_account(
            SqlAlchemyMerchantUnitOfWork(sessions), "Hub ops", Role.OPERATOR, NOW
        ).plain
    with (
        run_server(db_url, var_dir, EWTP_WORKER_IN_PROCESS="false", **env) as base,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {alice}"}, timeout=30) as a,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {bob}"}, timeout=30) as b,
    ):
        yield Live(base, a, b, db_url, operator)


@pytest.fixture
def live(db_url: str, tmp_path: Path) -> Iterator[Live]:
    yield from live_server(db_url, tmp_path)

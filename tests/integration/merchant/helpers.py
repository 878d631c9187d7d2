"""Shared set-up for merchant integration tests: a database with a merchant and the network."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.merchant.engines import MerchantEngines
from ewtp.adapters.merchant.inline_when_cached import InlineWhenCached
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.domain.accounts import Role
from ewtp.domain.merchant.quotes import Quote
from ewtp.services.accounts import create_account
from ewtp.services.merchant.quotes import QuoteCommand, quote_shipment
from ewtp.services.network.ports import load_network

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


@contextmanager
def factory(db_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on `db_url`; the engine's connections are closed on exit."""
    engine = make_engine(db_url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def merchant(sessions: sessionmaker[Session], name: str = "Acme") -> str:
    return create_account(
        SqlAlchemyMerchantUnitOfWork(sessions), name, Role.MERCHANT, NOW
    ).account.id


def seed_network(sessions: sessionmaker[Session]) -> None:
    files = read_network_dir(BUILTIN_DIR, NOW.date())
    load_network(
        SqlAlchemyNetworkUnitOfWork(sessions),
        files.name,
        files.hubs,
        files.services,
        files.zones,
        NOW,
    )


def merchant_key(sessions: sessionmaker[Session], name: str) -> str:
    """A new merchant's API key."""
    return create_account(SqlAlchemyMerchantUnitOfWork(sessions), name, Role.MERCHANT, NOW).plain


@contextmanager
def merchant_api(
    db_url: str, sessions: sessionmaker[Session]
) -> Iterator[tuple[Any, dict[str, str]]]:
    """The whole app in-process on the built-in network, and a new merchant's auth header."""
    from fastapi.testclient import TestClient

    from ewtp.api.app import create_app
    from ewtp.config import Settings

    seed_network(sessions)
    auth = {"Authorization": f"Bearer {merchant_key(sessions, 'Acme')}"}
    with TestClient(create_app(Settings(database_url=db_url))) as client:
        yield client, auth


def stored_quote(
    sessions: sessionmaker[Session], engines: MerchantEngines, command: QuoteCommand
) -> Quote:
    """`quote_shipment` as the application runs it: the group-commit writer stores the
    quote, priced inline when cached and on a thread otherwise."""
    writer = QuoteWriter(partial(SqlAlchemyMerchantUnitOfWork, sessions))
    writer.start()
    try:
        planner, customs, card = engines.planner, engines.customs, engines.card
        runner = InlineWhenCached(asyncio.to_thread)
        return asyncio.run(quote_shipment(writer, runner, planner, customs, card, command))
    finally:
        writer.stop()

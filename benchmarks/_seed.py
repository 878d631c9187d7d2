"""The database every server benchmark starts from: migrated, with the built-in network.

One place for it, so the benchmarks measure the same start as `ewtp seed` and each other.
The caller makes its own accounts (a merchant, an operator) with the unit of work it uses.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import upgrade
from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.services.network.ports import load_network

__all__ = ["migrated_with_network"]


def migrated_with_network(url: str) -> tuple[Engine, sessionmaker[Session], datetime]:
    """Migrate `url`, load the built-in network in force today; the engine (the caller
    disposes of it), its sessions and the time the network was loaded at."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    now = datetime.now(UTC)
    files = read_network_dir(BUILTIN_DIR, now.date())
    load_network(
        SqlAlchemyNetworkUnitOfWork(sessions),
        files.name, files.hubs, files.services, files.zones, now,
    )  # fmt: skip
    return engine, sessions, now

"""Test helper: load the built-in `global-72h` network through the network capability."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.services.network.ports import load_network
from integration.tracking.conftest import NOW


def load_builtin_network(factory: sessionmaker[Session]) -> None:
    files = read_network_dir(BUILTIN_DIR, NOW.date())
    load_network(
        SqlAlchemyNetworkUnitOfWork(factory),
        files.name,
        files.hubs,
        files.services,
        files.zones,
        NOW,
    )

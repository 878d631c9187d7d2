"""In-memory fake of the network port, for fast service tests."""

from __future__ import annotations

from datetime import date, datetime

from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.domain.network.model import Hub, NetworkSnapshot, Service, Zone
from ewtp.services.network.ports import AbstractNetworkRepository, NetworkUnitOfWork, load_network


class FakeNetworkRepository(AbstractNetworkRepository):
    def __init__(self) -> None:
        self.stored: NetworkSnapshot | None = None
        self.writes = 0
        self.updated_at: datetime | None = None

    def version(self) -> str | None:
        return self.stored.version if self.stored else None

    def snapshot(self) -> NetworkSnapshot | None:
        return self.stored

    def replace(self, snapshot: NetworkSnapshot, now: datetime) -> None:
        self.stored = snapshot
        self.writes += 1
        self.updated_at = now


class FakeNetworkUnitOfWork(NetworkUnitOfWork):
    def __init__(self) -> None:
        self.network = FakeNetworkRepository()
        self.committed = 0

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        pass


def network_uow(
    hubs: list[Hub], services: list[Service], zones: list[Zone], name: str = "test"
) -> FakeNetworkUnitOfWork:
    uow = FakeNetworkUnitOfWork()
    load_network(uow, name, hubs, services, zones, datetime(2026, 1, 1).astimezone())
    return uow


def builtin_uow() -> FakeNetworkUnitOfWork:
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 22))
    return network_uow(list(files.hubs), list(files.services), list(files.zones), files.name)

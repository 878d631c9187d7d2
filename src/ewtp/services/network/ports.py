"""The network ports and use cases: load a network, list it, import SSIM schedules.

A load replaces the whole network in one transaction after validating every row, so a
bad file changes nothing. The stored `version` is a digest of the content: loading the
same network twice is a no-op, and route caches key on it.
"""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.errors import NotFound
from ewtp.domain.network.model import Hub, NetworkSnapshot, Service, Zone, validate_network
from ewtp.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractNetworkRepository",
    "LoadResult",
    "NetworkUnitOfWork",
    "content_version",
    "load_network",
    "require_snapshot",
]


class AbstractNetworkRepository(abc.ABC):
    """Storage of the one active network."""

    @abc.abstractmethod
    def version(self) -> str | None:
        """The content digest of the stored network, None when none is loaded."""

    @abc.abstractmethod
    def snapshot(self) -> NetworkSnapshot | None: ...

    @abc.abstractmethod
    def replace(self, snapshot: NetworkSnapshot, now: datetime) -> None:
        """Store `snapshot` in place of whatever network is there."""


class NetworkUnitOfWork(AbstractUnitOfWork):
    """A unit of work that can see the network."""

    network: AbstractNetworkRepository


@dataclass(frozen=True, slots=True)
class LoadResult:
    name: str
    version: str
    changed: bool
    hubs: int
    services: int
    zones: int


def content_version(hubs: Sequence[Hub], services: Sequence[Service], zones: Sequence[Zone]) -> str:
    """A digest of everything that affects routing, independent of row order."""
    lines = sorted(repr(h) for h in hubs)
    lines += sorted(repr(s) for s in services)
    lines += sorted(repr(z) for z in zones)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def load_network(
    uow: NetworkUnitOfWork,
    name: str,
    hubs: Sequence[Hub],
    services: Sequence[Service],
    zones: Sequence[Zone],
    now: datetime,
    *,
    if_empty: bool = False,
) -> LoadResult:
    """Validate and store a whole network; unchanged content writes nothing.

    With `if_empty` (how `ewtp seed` loads the built-in network) a network that is
    already stored is kept as it is, so seeding never undoes an import.
    """
    validate_network(hubs, services, zones)
    version = content_version(hubs, services, zones)
    with uow:
        current = uow.network.snapshot()
        if if_empty and current is not None:
            return LoadResult(
                current.name,
                current.version,
                False,
                len(current.hubs),
                len(current.services),
                len(current.zones),
            )
        changed = current is None or current.version != version or current.name != name
        if changed:
            snap = NetworkSnapshot(name, version, tuple(hubs), tuple(services), tuple(zones))
            uow.network.replace(snap, now)
            uow.commit()
    return LoadResult(name, version, changed, len(hubs), len(services), len(zones))


def require_snapshot(uow: NetworkUnitOfWork) -> NetworkSnapshot:
    """The stored network, or an error telling how to load one."""
    with uow:
        snap = uow.network.snapshot()
    if snap is None:
        raise NotFound(
            "no network is loaded; run `ewtp seed` or `ewtp network load DIR`", field="network"
        )
    return snap

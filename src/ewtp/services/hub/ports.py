"""Ports of the hub capability: what its use cases read and write, as abstract classes.

The SQLAlchemy implementations are in `adapters/db/hub/`; service tests use fakes.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.hub import Row, SortDecision
from ewtp.domain.hub.inbound import InboundParcel
from ewtp.domain.hub.kpis import HubScan, LoggedDecision, count_decisions
from ewtp.services.network.ports import NetworkUnitOfWork

__all__ = [
    "AbstractDecisionLog",
    "AbstractDecisionSink",
    "AbstractHubModels",
    "AbstractHubParcels",
    "AbstractHubScans",
    "AbstractInbound",
    "BookedLeg",
    "HubUnitOfWork",
    "ParcelRecord",
]


@dataclass(frozen=True, slots=True)
class BookedLeg:
    service_id: str
    origin: str
    destination: str
    departure_utc: datetime


@dataclass(frozen=True, slots=True)
class ParcelRecord:
    """What storage knows about a parcel the hub scanned."""

    tracking_number: str
    status: str  # the lifecycle status (domain.lifecycle.ShipmentStatus values)
    destination_country: str | None
    promised_by: datetime | None
    legs: tuple[BookedLeg, ...]
    latest_milestone: str | None  # of its latest scan, e.g. "customs_hold"
    screening_flag: bool


class AbstractHubParcels(abc.ABC):
    @abc.abstractmethod
    def find(self, tracking_numbers: Sequence[str]) -> dict[str, ParcelRecord]:
        """The known parcels among `tracking_numbers` (normalized S10 numbers)."""


class AbstractDecisionLog(abc.ABC):
    @abc.abstractmethod
    def add(
        self,
        hub: str,
        decisions: Sequence[SortDecision],
        requested_by: str | None,
        decided_at: datetime,
    ) -> None:
        """Append decisions in order."""

    @abc.abstractmethod
    def between(self, hub: str, start: datetime, end: datetime) -> list[LoggedDecision]:
        """Decisions whose scan time is in [start, end), in scan order."""

    @abc.abstractmethod
    def latest(self, hub: str, tracking_numbers: Sequence[str]) -> dict[str, LoggedDecision]:
        """Each parcel's latest decision at the hub."""

    def decided_per_hour(self, hub: str, start: datetime, end: datetime) -> dict[datetime, int]:
        """Decisions scanned in [start, end) per UTC hour (a store may keep hourly totals)."""
        return dict(count_decisions(self.between(hub, start, end), start, end)[0])

    def misses(self, hub: str, start: datetime, end: datetime) -> dict[tuple[str, datetime], int]:
        """`rerouted` decisions scanned in [start, end) per booked departure they missed."""
        return dict(count_decisions(self.between(hub, start, end), start, end)[1])


class AbstractDecisionSink(abc.ABC):
    """Stores decisions durably outside the caller's transaction (e.g. a group commit)."""

    @abc.abstractmethod
    def store(
        self,
        hub: str,
        decisions: Sequence[SortDecision],
        requested_by: str | None,
        at: datetime,
    ) -> None:
        """Return once the decisions are committed."""


class AbstractHubScans(abc.ABC):
    @abc.abstractmethod
    def at_hub(self, hub: str, start: datetime, end: datetime) -> list[HubScan]:
        """`arrived` and `departed` scans at the hub that occurred in [start, end)."""


class AbstractInbound(abc.ABC):
    @abc.abstractmethod
    def arriving(self, hub: str, start: datetime, end: datetime) -> list[InboundParcel]:
        """Booked or in-transit parcels with a leg arriving at the hub in [start, end)."""


class AbstractHubModels(abc.ABC):
    """Hub models loaded with `ewtp hub load`; built-in ones come from the package."""

    @abc.abstractmethod
    def rows(self, code: str) -> tuple[str, Mapping[str, Sequence[Row]]] | None:
        """(digest, rows by file) of a loaded model, None when none is loaded."""

    @abc.abstractmethod
    def digest(self, code: str) -> str | None: ...

    @abc.abstractmethod
    def save(
        self, code: str, digest: str, rows: Mapping[str, Sequence[Row]], at: datetime
    ) -> None: ...


class HubUnitOfWork(NetworkUnitOfWork):
    """The network, plus what the hub reads and writes.

    `scope` names the store (e.g. the database URL): in-process caches that skip the
    version checks for a few seconds are kept per scope, never shared between stores.
    """

    scope: str = ""

    parcels: AbstractHubParcels
    decisions: AbstractDecisionLog
    scans: AbstractHubScans
    inbound: AbstractInbound
    models: AbstractHubModels

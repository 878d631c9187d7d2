"""In-memory fakes of the hub ports, for service tests."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR, read_hub_rows
from ewtp.domain.hub import Row, SortDecision
from ewtp.domain.hub.inbound import InboundParcel
from ewtp.domain.hub.kpis import HubScan, LoggedDecision
from ewtp.services.hub.ports import (
    AbstractDecisionLog,
    AbstractHubModels,
    AbstractHubParcels,
    AbstractHubScans,
    AbstractInbound,
    HubUnitOfWork,
    ParcelRecord,
)
from ewtp.services.hub.show import rows_digest
from unit.network.fakes import FakeNetworkRepository, builtin_uow


class FakeParcels(AbstractHubParcels):
    def __init__(self) -> None:
        self.records: dict[str, ParcelRecord] = {}

    def find(self, tracking_numbers: Sequence[str]) -> dict[str, ParcelRecord]:
        return {n: self.records[n] for n in tracking_numbers if n in self.records}


class FakeDecisionLog(AbstractDecisionLog):
    def __init__(self) -> None:
        self.rows: list[tuple[str, SortDecision, str | None, datetime]] = []

    def add(
        self,
        hub: str,
        decisions: Sequence[SortDecision],
        requested_by: str | None,
        decided_at: datetime,
    ) -> None:
        self.rows += [(hub, d, requested_by, decided_at) for d in decisions]

    def _logged(self, d: SortDecision) -> LoggedDecision:
        dep = d.departure
        return LoggedDecision(
            d.tracking_number, d.scanned_at, d.reason.value, d.chute,
            dep.service_id if dep else None, dep.departure_utc if dep else None,
            d.promise_holds, d.booked_service_id, d.booked_departure_utc,
        )  # fmt: skip

    def between(self, hub: str, start: datetime, end: datetime) -> list[LoggedDecision]:
        return [
            self._logged(d) for h, d, _, _ in self.rows if h == hub and start <= d.scanned_at < end
        ]

    def latest(self, hub: str, tracking_numbers: Sequence[str]) -> dict[str, LoggedDecision]:
        wanted = set(tracking_numbers)
        return {
            d.tracking_number: self._logged(d)
            for h, d, _, _ in self.rows
            if h == hub and d.tracking_number in wanted
        }


class FakeScans(AbstractHubScans):
    def __init__(self) -> None:
        self.scans: list[tuple[str, HubScan]] = []

    def at_hub(self, hub: str, start: datetime, end: datetime) -> list[HubScan]:
        return [s for h, s in self.scans if h == hub and start <= s.occurred_at < end]


class FakeInbound(AbstractInbound):
    def __init__(self) -> None:
        self.parcels: list[tuple[str, InboundParcel]] = []

    def arriving(self, hub: str, start: datetime, end: datetime) -> list[InboundParcel]:
        return [p for h, p in self.parcels if h == hub and start <= p.arrival_utc < end]


class FakeModels(AbstractHubModels):
    def __init__(self) -> None:
        self.loaded: dict[str, tuple[str, Mapping[str, Sequence[Row]]]] = {}
        self.loaded_at: datetime | None = None

    def rows(self, code: str) -> tuple[str, Mapping[str, Sequence[Row]]] | None:
        if code in self.loaded:
            return self.loaded[code]
        if (BUILTIN_HUBS_DIR / code).is_dir():
            rows = read_hub_rows(BUILTIN_HUBS_DIR / code)
            return rows_digest(rows), rows
        return None

    def digest(self, code: str) -> str | None:
        found = self.rows(code)
        return found[0] if found else None

    def save(self, code: str, digest: str, rows: Mapping[str, Sequence[Row]], at: datetime) -> None:
        self.loaded[code] = (digest, rows)
        self.loaded_at = at


class FakeHubUnitOfWork(HubUnitOfWork):
    def __init__(self) -> None:
        self.scope = f"fake-{uuid.uuid4()}"  # its own in-process caches
        self.network: FakeNetworkRepository = builtin_uow().network
        self.parcels = FakeParcels()
        self.decisions = FakeDecisionLog()
        self.scans = FakeScans()
        self.inbound = FakeInbound()
        self.models = FakeModels()
        self.committed = 0

    def commit(self) -> None:
        self.committed += 1

    def rollback(self) -> None:
        pass

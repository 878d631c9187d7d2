"""SQLAlchemy storage of the one active network."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.network import HubRow, NetworkMetaRow, ServiceRow, ZoneRow
from ewtp.domain.network.model import Hub, Mode, NetworkSnapshot, Service, Zone
from ewtp.services.network.ports import AbstractNetworkRepository

__all__ = ["SqlAlchemyNetworkRepository"]

_META_ID = 1


class SqlAlchemyNetworkRepository(AbstractNetworkRepository):
    def __init__(self, session: Session) -> None:
        self._session = session

    def version(self) -> str | None:
        return self._session.scalar(
            select(NetworkMetaRow.version).where(NetworkMetaRow.id == _META_ID)
        )

    def snapshot(self) -> NetworkSnapshot | None:
        meta = self._session.get(NetworkMetaRow, _META_ID)
        if meta is None:
            return None
        hubs = self._session.scalars(select(HubRow).order_by(HubRow.code)).all()
        services = self._session.scalars(
            select(ServiceRow).order_by(ServiceRow.id, ServiceRow.valid_from)
        ).all()
        zones = self._session.scalars(select(ZoneRow).order_by(ZoneRow.country)).all()
        return NetworkSnapshot(
            name=meta.name,
            version=meta.version,
            hubs=tuple(_hub(r) for r in hubs),
            services=tuple(_service(r) for r in services),
            zones=tuple(_zone(r) for r in zones),
        )

    def replace(self, snapshot: NetworkSnapshot, now: datetime) -> None:
        for table in (ZoneRow, ServiceRow, HubRow, NetworkMetaRow):
            self._session.execute(delete(table))
        self._session.add(
            NetworkMetaRow(
                id=_META_ID, name=snapshot.name, version=snapshot.version, updated_at=now
            )
        )
        self._session.add_all(
            HubRow(
                code=h.code,
                name=h.name,
                country=h.country,
                lat=h.lat,
                lon=h.lon,
                timezone=h.timezone,
                min_connection_minutes=h.min_connection_minutes,
                source=h.source,
            )
            for h in snapshot.hubs
        )
        self._session.add_all(
            ServiceRow(
                id=s.id,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
                mode=s.mode.value,
                origin=s.origin,
                destination=s.destination,
                days="".join(str(d) for d in sorted(s.days)),
                departure_local=s.departure_local.strftime("%H:%M"),
                duration_minutes=s.duration_minutes,
                capacity_kg=str(s.capacity_kg),
                capacity_m3=str(s.capacity_m3),
                cost_per_kg=str(s.cost_per_kg),
                co2_kg_per_kg=str(s.co2_kg_per_kg),
                source=s.source,
            )
            for s in snapshot.services
        )
        self._session.add_all(
            ZoneRow(
                country=z.country,
                hub=z.hub,
                last_mile_hours=str(z.last_mile_hours),
                source=z.source,
            )
            for z in snapshot.zones
        )
        self._session.flush()


def _hub(r: HubRow) -> Hub:
    return Hub(
        r.code, r.name, r.country, r.lat, r.lon, r.timezone, r.min_connection_minutes, r.source
    )


def _service(r: ServiceRow) -> Service:
    return Service(
        id=r.id,
        mode=Mode(r.mode),
        origin=r.origin,
        destination=r.destination,
        days=frozenset(int(d) for d in r.days),
        departure_local=time.fromisoformat(r.departure_local),
        duration_minutes=r.duration_minutes,
        valid_from=r.valid_from,
        valid_to=r.valid_to,
        capacity_kg=Decimal(r.capacity_kg),
        capacity_m3=Decimal(r.capacity_m3),
        cost_per_kg=Decimal(r.cost_per_kg),
        co2_kg_per_kg=Decimal(r.co2_kg_per_kg),
        source=r.source,
    )


def _zone(r: ZoneRow) -> Zone:
    return Zone(r.country, r.hub, Decimal(r.last_mile_hours), r.source)

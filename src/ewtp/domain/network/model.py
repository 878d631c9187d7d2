"""The network model: hubs, scheduled services, delivery zones and their dated connections.

A service is a weekly schedule in the origin hub's local time; `expand_connections`
turns it into dated UTC connections with `zoneinfo`, so a departure at 09:00 in Liège
is 08:00Z in winter and 07:00Z in summer (PEP 495: a local time that does not exist
on the spring-forward day is read with the offset before the change).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from ewtp.domain.errors import InvalidInput

__all__ = [
    "Connection",
    "Hub",
    "Mode",
    "NetworkSnapshot",
    "Service",
    "Zone",
    "expand_connections",
    "validate_network",
]


class Mode(enum.StrEnum):
    AIR = "air"
    RAIL = "rail"
    ROAD = "road"


@dataclass(frozen=True, slots=True)
class Hub:
    code: str
    name: str
    country: str
    lat: float
    lon: float
    timezone: str
    min_connection_minutes: int
    source: str = ""


@dataclass(frozen=True, slots=True)
class Service:
    """A scheduled leg; `days` holds ISO weekdays (1 = Monday) of local departure."""

    id: str
    mode: Mode
    origin: str
    destination: str
    days: frozenset[int]
    departure_local: time
    duration_minutes: int
    valid_from: date
    valid_to: date | None
    capacity_kg: Decimal
    capacity_m3: Decimal
    cost_per_kg: Decimal
    co2_kg_per_kg: Decimal
    source: str = ""

    def overlaps(self, other: Service) -> bool:
        """Whether the validity periods of two services share a day."""
        far = date.max
        return self.valid_from <= (other.valid_to or far) and other.valid_from <= (
            self.valid_to or far
        )


@dataclass(frozen=True, slots=True)
class Zone:
    """A destination country served from one hub, `last_mile_hours` after arrival there."""

    country: str
    hub: str
    last_mile_hours: Decimal
    source: str = ""


@dataclass(frozen=True, slots=True)
class Connection:
    """One dated departure of a service, in UTC."""

    service_id: str
    mode: Mode
    origin: str
    destination: str
    departure_utc: datetime
    arrival_utc: datetime
    cost_per_kg: Decimal
    co2_kg_per_kg: Decimal
    capacity_kg: Decimal


@dataclass(frozen=True, slots=True)
class NetworkSnapshot:
    """A whole network as stored; `version` changes whenever any of it changes."""

    name: str
    version: str
    hubs: tuple[Hub, ...]
    services: tuple[Service, ...]
    zones: tuple[Zone, ...]


def validate_network(
    hubs: Sequence[Hub], services: Sequence[Service], zones: Sequence[Zone]
) -> None:
    """Raise `InvalidInput` naming the field of the first broken rule."""
    codes = {h.code for h in hubs}
    if len(codes) != len(hubs):
        raise InvalidInput("a hub code appears twice", field="code")
    if len({z.country for z in zones}) != len(zones):
        raise InvalidInput("a country has two delivery zones", field="country")
    for hub in hubs:
        if hub.min_connection_minutes < 0:
            raise InvalidInput(
                f"hub {hub.code}: must not be negative", field="min_connection_minutes"
            )
        try:
            ZoneInfo(hub.timezone)
        except (KeyError, ValueError) as exc:
            raise InvalidInput(
                f"hub {hub.code}: unknown IANA timezone {hub.timezone!r}", field="timezone"
            ) from exc
    seen: dict[str, list[Service]] = {}
    for svc in services:
        validate_service(svc, codes)
        for other in seen.get(svc.id, []):
            if other.overlaps(svc):
                raise InvalidInput(
                    f"service {svc.id} is defined twice for overlapping validity periods",
                    field="id",
                )
        seen.setdefault(svc.id, []).append(svc)
    for zone in zones:
        if zone.hub not in codes:
            raise InvalidInput(f"zone {zone.country}: unknown hub {zone.hub!r}", field="hub")
        if zone.last_mile_hours < 0:
            raise InvalidInput(
                f"zone {zone.country}: must not be negative", field="last_mile_hours"
            )


def validate_service(svc: Service, hub_codes: Iterable[str]) -> None:
    """Check one service against the rules of the model and the known hubs."""
    codes = set(hub_codes)
    for fld in ("origin", "destination"):
        if getattr(svc, fld) not in codes:
            raise InvalidInput(f"service {svc.id}: unknown hub {getattr(svc, fld)!r}", field=fld)
    if svc.origin == svc.destination:
        raise InvalidInput(
            f"service {svc.id}: destination must differ from origin {svc.origin}",
            field="destination",
        )
    if svc.duration_minutes <= 0:
        raise InvalidInput(f"service {svc.id}: must be positive", field="duration_minutes")
    for fld in ("capacity_kg", "capacity_m3", "cost_per_kg", "co2_kg_per_kg"):
        if getattr(svc, fld) < 0:
            raise InvalidInput(f"service {svc.id}: must not be negative", field=fld)
    if not svc.days or not svc.days <= set(range(1, 8)):
        raise InvalidInput(f"service {svc.id}: weekdays must be within 1..7", field="days")
    if svc.valid_to is not None and svc.valid_to < svc.valid_from:
        raise InvalidInput(f"service {svc.id}: must not be before valid_from", field="valid_to")


def expand_connections(
    services: Iterable[Service], hubs: Iterable[Hub], start: date, days: int
) -> list[Connection]:
    """Every departure whose local date lies in [start, start + days), sorted by UTC time."""
    tz = {h.code: ZoneInfo(h.timezone) for h in hubs}
    out: list[Connection] = []
    for svc in services:
        zone = tz[svc.origin]
        duration = timedelta(minutes=svc.duration_minutes)
        for offset in range(days):
            day = start + timedelta(days=offset)
            if day.isoweekday() not in svc.days or day < svc.valid_from:
                continue
            if svc.valid_to is not None and day > svc.valid_to:
                continue
            dep = datetime.combine(day, svc.departure_local, tzinfo=zone).astimezone(UTC)
            out.append(
                Connection(
                    service_id=svc.id,
                    mode=svc.mode,
                    origin=svc.origin,
                    destination=svc.destination,
                    departure_utc=dep,
                    arrival_utc=dep + duration,
                    cost_per_kg=svc.cost_per_kg,
                    co2_kg_per_kg=svc.co2_kg_per_kg,
                    capacity_kg=svc.capacity_kg,
                )
            )
    out.sort(key=lambda c: (c.departure_utc, c.arrival_utc, c.service_id))
    return out

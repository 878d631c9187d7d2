"""The inbound forecast: parcels, kg, m³ and ULDs per arriving service and per hour.

ULDs of an arriving service are what its parcels fill: the larger of kg / `uld_kg` and
m³ / `uld_m3`, rounded up. The hourly ULD figure sums the services arriving that hour.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_CEILING, Decimal

__all__ = ["InboundForecast", "InboundHour", "InboundParcel", "InboundService", "forecast"]


@dataclass(frozen=True, slots=True)
class InboundParcel:
    tracking_number: str
    service_id: str
    origin: str
    arrival_utc: datetime
    kg: Decimal
    m3: Decimal


@dataclass(frozen=True, slots=True)
class InboundService:
    service_id: str
    origin: str
    arrival_utc: datetime
    parcels: int
    kg: Decimal
    m3: Decimal
    ulds: int


@dataclass(frozen=True, slots=True)
class InboundHour:
    hour_utc: datetime
    parcels: int
    kg: Decimal
    m3: Decimal
    ulds: int


@dataclass(frozen=True, slots=True)
class InboundForecast:
    hub: str
    services: tuple[InboundService, ...]
    hours: tuple[InboundHour, ...]

    @property
    def parcels(self) -> int:
        return sum(s.parcels for s in self.services)


def ulds_for(kg: Decimal, m3: Decimal, uld_kg: Decimal, uld_m3: Decimal) -> int:
    by_kg = (kg / uld_kg).to_integral_value(ROUND_CEILING) if uld_kg > 0 else Decimal(0)
    by_m3 = (m3 / uld_m3).to_integral_value(ROUND_CEILING) if uld_m3 > 0 else Decimal(0)
    return int(max(by_kg, by_m3))


def forecast(
    hub: str, parcels: Sequence[InboundParcel], uld_kg: Decimal, uld_m3: Decimal
) -> InboundForecast:
    groups: dict[tuple[datetime, str, str], list[InboundParcel]] = defaultdict(list)
    for p in parcels:
        groups[(p.arrival_utc, p.service_id, p.origin)].append(p)
    services = []
    for (arrival, service_id, origin), members in sorted(groups.items()):
        kg = sum((p.kg for p in members), Decimal(0))
        m3 = sum((p.m3 for p in members), Decimal(0))
        services.append(
            InboundService(
                service_id, origin, arrival, len(members), kg, m3, ulds_for(kg, m3, uld_kg, uld_m3)
            )
        )
    hours: dict[datetime, list[InboundService]] = defaultdict(list)
    for s in services:
        hours[s.arrival_utc.replace(minute=0, second=0, microsecond=0)].append(s)
    return InboundForecast(
        hub=hub,
        services=tuple(services),
        hours=tuple(
            InboundHour(
                hour,
                sum(s.parcels for s in group),
                sum((s.kg for s in group), Decimal(0)),
                sum((s.m3 for s in group), Decimal(0)),
                sum(s.ulds for s in group),
            )
            for hour, group in sorted(hours.items())
        ),
    )

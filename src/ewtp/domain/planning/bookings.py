"""A forecast from booked shipments: what merchants have already booked for the week.

Shipments with the same origin hub, destination, ready time and service level become one
row whose kg and m³ are the sums of their parcels; the ready time is kept exactly (never
rounded to the hour), so no parcel is planned as if it were ready earlier than it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ewtp.domain.planning.forecast import ForecastRow

__all__ = ["Booking", "forecast_from_bookings"]


@dataclass(frozen=True, slots=True)
class Booking:
    """One booked shipment's volume (m³ from each parcel's length x width x height)."""

    origin: str
    destination: str
    ready_utc: datetime
    service_level: str
    parcels: int
    kg: Decimal
    m3: Decimal


def forecast_from_bookings(bookings: Iterable[Booking]) -> list[ForecastRow]:
    groups: dict[tuple[str, str, datetime, str], list[Decimal]] = {}
    for b in bookings:
        key = (b.origin, b.destination, b.ready_utc, b.service_level)
        total = groups.setdefault(key, [Decimal(0), Decimal(0), Decimal(0)])
        total[0] += b.parcels
        total[1] += b.kg
        total[2] += b.m3
    return [
        ForecastRow(i + 1, o, d, t, p, kg, m3, level)
        for i, ((o, d, t, level), (p, kg, m3)) in enumerate(sorted(groups.items()))
    ]

"""Route answers: itineraries of legs, the plan for one query, and the 72-hour promise.

The search itself lives in `domain/timetable.py`; this module holds the result shapes
that other capabilities (quotes, tracking) code against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

__all__ = ["PROMISE", "Itinerary", "Leg", "RoutePlan", "promise_met"]

#: The platform's delivery promise, door to door from the moment the parcel is ready.
PROMISE = timedelta(hours=72)


@dataclass(frozen=True)
class Leg:
    service_id: str
    mode: str
    origin: str
    destination: str
    departure_utc: datetime
    arrival_utc: datetime


@dataclass(frozen=True)
class Itinerary:
    """A leg chain; `arrival_utc` is at the zone's (or destination) hub."""

    legs: tuple[Leg, ...]
    arrival_utc: datetime
    delivered_utc: datetime  # arrival + last_mile_hours (== arrival for a hub destination)
    cost_per_kg: Decimal  # EUR, the sum of the legs' rates
    co2_kg_per_kg: Decimal  # kg CO2e per kg carried, the sum over the legs


@dataclass(frozen=True)
class RoutePlan:
    origin: str
    destination: str
    ready_utc: datetime
    fastest: Itinerary | None
    options: tuple[Itinerary, ...]  # Pareto set over (delivered_utc, cost_per_kg)
    promise_met: bool


def promise_met(ready: datetime, itinerary: Itinerary | None) -> bool:
    """True when the parcel is delivered within the promise of its ready time."""
    return itinerary is not None and itinerary.delivered_utc - ready <= PROMISE

"""Route answers: itineraries of legs, the plan for one query, and the 72-hour promise.

The search itself lives in `domain/network/timetable.py`; this module holds the result shapes
that other capabilities (quotes, tracking) code against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

__all__ = [
    "PROMISE",
    "Itinerary",
    "Leg",
    "RoutePlan",
    "hours_between",
    "iso_z",
    "itinerary_to_json",
    "plan_to_json",
    "promise_met",
]

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


def iso_z(moment: datetime) -> str:
    """ISO 8601 in UTC with a `Z` suffix, the format of every routing interface."""
    # isoformat is C-fast; its first 19 characters are strftime's "%Y-%m-%dT%H:%M:%S".
    return moment.astimezone(UTC).isoformat(timespec="seconds")[:19] + "Z"


def hours_between(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 3600, 2)


def itinerary_to_json(itinerary: Itinerary, ready: datetime) -> dict[str, Any]:
    return {
        "delivered_utc": iso_z(itinerary.delivered_utc),
        "arrival_utc": iso_z(itinerary.arrival_utc),
        "hours": hours_between(ready, itinerary.delivered_utc),
        "cost_per_kg": str(itinerary.cost_per_kg),
        "co2_kg_per_kg": str(itinerary.co2_kg_per_kg),
        "legs": [
            {
                "service_id": leg.service_id,
                "mode": leg.mode,
                "origin": leg.origin,
                "destination": leg.destination,
                "departure_utc": iso_z(leg.departure_utc),
                "arrival_utc": iso_z(leg.arrival_utc),
            }
            for leg in itinerary.legs
        ],
    }


def plan_to_json(plan: RoutePlan) -> dict[str, Any]:
    """The documented JSON shape of a route answer (CLI, batch and API)."""
    return {
        "origin": plan.origin,
        "destination": plan.destination,
        "ready_utc": iso_z(plan.ready_utc),
        "fastest": itinerary_to_json(plan.fastest, plan.ready_utc) if plan.fastest else None,
        "options": [itinerary_to_json(o, plan.ready_utc) for o in plan.options],
        "promise_met": plan.promise_met,
    }

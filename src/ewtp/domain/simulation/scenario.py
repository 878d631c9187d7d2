"""What a simulation is asked to run: a queueing network, or a hub's day, as plain data.

Two forms share one engine (see `docs/simulation.md`):

    NetworkScenario  stations (c servers, a service distribution), arrivals (Poisson with
                     hourly rates, or scheduled batches) and routing probabilities: the form
                     the theory tests (Erlang C, Little's law, Ciw) check.
    HubScenario      a hub and a date; the timetable's inbound services bring ULDs of
                     parcels (demand per origin x multiplier, limited by each service's kg
                     and m3); the hub model gives the stations and the shared sort logic
                     sends each parcel to its departure.

Times inside the engine are minutes from the start of the horizon.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "Arrival",
    "Distribution",
    "DistributionKind",
    "HubDemand",
    "HubScenario",
    "NetworkScenario",
    "Route",
    "Station",
]


class DistributionKind(enum.StrEnum):
    EXPONENTIAL = "exponential"
    DETERMINISTIC = "deterministic"
    LOGNORMAL = "lognormal"
    EMPIRICAL = "empirical"


@dataclass(frozen=True, slots=True)
class Distribution:
    """A service time in minutes: `mean` (and `sigma` of the log for lognormal), or samples."""

    kind: DistributionKind
    mean: float = 0.0
    sigma: float = 0.0
    samples: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Station:
    """`servers` servers (0: an infinite-server delay), or a count per hour of the day.

    `per_item` adds that many minutes per parcel of a batch job (a ULD's parcels at one
    induction operator), so a job of `n` parcels takes `service + n * per_item`.
    """

    name: str
    servers: int
    service: Distribution
    per_item: float = 0.0
    servers_by_hour: tuple[int, ...] = ()

    def capacity_at(self, hour: int) -> int:
        if self.servers_by_hour:
            return self.servers_by_hour[hour % 24]
        return self.servers


@dataclass(frozen=True, slots=True)
class Arrival:
    """Jobs entering `station`: Poisson at `rate_per_hour[h % len]`, or `batches` (minute, n)."""

    station: str
    rate_per_hour: tuple[float, ...] = ()
    batches: tuple[tuple[float, int], ...] = ()


@dataclass(frozen=True, slots=True)
class Route:
    source: str
    target: str
    probability: float


@dataclass(frozen=True, slots=True)
class NetworkScenario:
    name: str
    horizon_hours: float
    stations: tuple[Station, ...]
    arrivals: tuple[Arrival, ...]
    routes: tuple[Route, ...] = ()
    warmup_hours: float = 0.0

    def station(self, name: str) -> Station:
        return next(s for s in self.stations if s.name == name)


@dataclass(frozen=True, slots=True)
class HubDemand:
    """Parcels a day per origin hub, times `multiplier`, and the parcels' mix."""

    parcels_per_origin: dict[str, int]
    multiplier: float = 1.0
    kg_per_parcel: float = 0.5
    m3_per_parcel: float = 0.003
    battery_share: float = 0.0
    inspection_share: float | None = None  # None: the hub model's selection rate
    destinations: dict[str, float] = field(default_factory=dict)  # zone country -> share
    hours_before_inbound_departure: float = 12.0  # acceptance at origin before the flight


@dataclass(frozen=True, slots=True)
class HubScenario:
    name: str
    hub: str
    day: date
    demand: HubDemand
    overrides: dict[str, str] = field(default_factory=dict)
    backlog_parcels: int = 0  # parcels already waiting for induction at the start
    horizon_hours: float = 48.0

"""Commodities: forecast rows merged only where the merge cannot change the optimum.

Two rows become one commodity when they share the delivery hub, the deadline at that
hub (ready + promise - the zone's last mile) and the exact kg and m³ per parcel. Every
arc then costs them the same per parcel, uses the same kg and m³ of every departure per
parcel, and their lateness is the same function of the arrival time at the hub, so a
flow of the merged commodity splits back into flows of the rows at the same cost (see
docs/ARCHITECTURE.md, Capacity planning). Rows with other origins or ready times are
the commodity's sources.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from math import gcd

from ewtp.domain.network.model import Zone
from ewtp.domain.planning.forecast import ForecastRow
from ewtp.domain.planning.parameters import PROMISES

__all__ = ["Commodity", "Source", "aggregate"]

_Key = tuple[str, datetime, tuple[int, int], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Source:
    """Parcels of one commodity ready at one origin hub at one time."""

    origin: str
    ready_utc: datetime
    parcels: float


@dataclass(frozen=True, slots=True)
class Commodity:
    """Parcels that are interchangeable for the plan (same hub, deadline and density)."""

    index: int
    hub: str
    deadline_utc: datetime  # latest arrival at `hub` that keeps the promise
    kg_per_parcel: Fraction
    m3_per_parcel: Fraction
    zones: tuple[str, ...]
    sources: tuple[Source, ...]
    rows: tuple[int, ...]

    @property
    def parcels(self) -> float:
        return sum(s.parcels for s in self.sources)

    def key(self) -> str:
        """A stable name: hub, deadline and density (kg and m³ per parcel)."""
        stamp = self.deadline_utc.strftime("%Y-%m-%dT%H:%MZ")
        return f"{self.hub}/{stamp}/{float(self.kg_per_parcel):g}kg/{float(self.m3_per_parcel):g}m3"


def _ratio(num: Decimal, den: Decimal) -> tuple[int, int]:
    """num/den in lowest terms, as integers: exact, and hashes fast."""
    a, b = num.as_integer_ratio()
    c, d = den.as_integer_ratio()
    n, m = a * d, b * c
    g = gcd(n, m)
    return n // g, m // g


def aggregate(rows: Sequence[ForecastRow], zones: Mapping[str, Zone]) -> list[Commodity]:
    """Merge rows exactly: same hub, same deadline at the hub, same kg and m³ per parcel.

    Rows with no parcels are dropped. Sources of one origin and ready time are summed.
    """
    groups: dict[_Key, dict[tuple[str, datetime], float]] = {}
    members: dict[_Key, tuple[set[str], list[int]]] = {}
    promise_minus_lm: dict[tuple[str, str], tuple[str, timedelta]] = {}
    for r in rows:
        if r.parcels == 0:
            continue
        found = promise_minus_lm.get((r.destination, r.service_level))
        if found is None:
            zone = zones[r.destination]
            lm = timedelta(seconds=float(zone.last_mile_hours * 3600))
            found = promise_minus_lm[(r.destination, r.service_level)] = (
                zone.hub,
                PROMISES[r.service_level] - lm,
            )
        hub, offset = found
        key = (hub, r.ready_utc + offset, _ratio(r.kg, r.parcels), _ratio(r.m3, r.parcels))
        sources = groups.setdefault(key, {})
        at = (r.origin, r.ready_utc)
        sources[at] = sources.get(at, 0.0) + float(r.parcels)
        names, numbers = members.setdefault(key, (set(), []))
        names.add(r.destination)
        numbers.append(r.row)
    out = []
    for i, key in enumerate(sorted(groups)):
        hub, deadline, kg, m3 = key
        names, numbers = members[key]
        out.append(
            Commodity(
                index=i,
                hub=hub,
                deadline_utc=deadline,
                kg_per_parcel=Fraction(*kg),
                m3_per_parcel=Fraction(*m3),
                zones=tuple(sorted(names)),
                sources=tuple(Source(o, t, p) for (o, t), p in sorted(groups[key].items())),
                rows=tuple(numbers),
            )
        )
    return out

"""The week's departures with their kg and m³ capacity, and candidate extra capacity.

Departures are the timetable's connections that leave in [week start, week end +
horizon): parcels ready late on Sunday still need next week's flights. A candidate is
a charter or truck that does not run yet: a lane, a departure time, a capacity and a
fixed cost that is paid only if the plan opens it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.model import Hub, Service, expand_connections

__all__ = [
    "CANDIDATE_COLUMNS",
    "Candidate",
    "Departure",
    "HubLimit",
    "candidate_departures",
    "parse_candidates",
    "parse_hub_limits",
    "week_departures",
]

CANDIDATE_COLUMNS = (
    "id", "mode", "origin", "destination", "departure_utc", "duration_minutes",
    "capacity_kg", "capacity_m3", "cost_per_kg", "fixed_cost",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Departure:
    """One dated departure; `candidate` names the candidate it would open, if any."""

    id: str
    service_id: str
    mode: str
    origin: str
    destination: str
    departure_utc: datetime
    arrival_utc: datetime
    capacity_kg: float
    capacity_m3: float
    cost_per_kg: float
    candidate: str | None = None
    fixed_cost: float = 0.0


@dataclass(frozen=True, slots=True)
class Candidate:
    """Extra capacity the planner could buy: one departure on a lane and day."""

    id: str
    mode: str
    origin: str
    destination: str
    departure_utc: datetime
    duration_minutes: int
    capacity_kg: float
    capacity_m3: float
    cost_per_kg: float
    fixed_cost: float


@dataclass(frozen=True, slots=True)
class HubLimit:
    """At most `parcels_per_hour` parcels may arrive at `hub` in any clock hour (UTC)."""

    hub: str
    parcels_per_hour: float


def week_departures(
    services: Sequence[Service], hubs: Sequence[Hub], start: datetime, end: datetime
) -> list[Departure]:
    """Every scheduled departure leaving in [start, end), with both capacities."""
    by_id = {s.id: s for s in services}
    days = (end - start).days + 2
    conns = expand_connections(services, hubs, start.date() - timedelta(days=1), days)
    out = []
    for c in conns:
        if not start <= c.departure_utc < end:
            continue
        svc = by_id[c.service_id]
        out.append(
            Departure(
                id=f"{c.service_id}@{c.departure_utc.strftime('%Y-%m-%dT%H:%MZ')}",
                service_id=c.service_id,
                mode=c.mode.value,
                origin=c.origin,
                destination=c.destination,
                departure_utc=c.departure_utc,
                arrival_utc=c.arrival_utc,
                capacity_kg=float(svc.capacity_kg),
                capacity_m3=float(svc.capacity_m3),
                cost_per_kg=float(svc.cost_per_kg),
            )
        )
    return out


def candidate_departures(candidates: Iterable[Candidate]) -> list[Departure]:
    return [
        Departure(
            id=c.id,
            service_id=c.id,
            mode=c.mode,
            origin=c.origin,
            destination=c.destination,
            departure_utc=c.departure_utc,
            arrival_utc=c.departure_utc + timedelta(minutes=c.duration_minutes),
            capacity_kg=c.capacity_kg,
            capacity_m3=c.capacity_m3,
            cost_per_kg=c.cost_per_kg,
            candidate=c.id,
            fixed_cost=c.fixed_cost,
        )
        for c in candidates
    ]


def _number(record: Mapping[str, Any], name: str, field: str, *, positive: bool) -> Decimal:
    raw = str(record.get(name) if record.get(name) is not None else "").strip()
    if raw == "":
        raise InvalidInput("is required", field=field)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInput(f"not a number: {raw!r}", field=field) from exc
    if not value.is_finite() or value < 0 or (positive and value == 0):
        rule = "must be positive" if positive else "must not be negative"
        raise InvalidInput(f"{rule}, got {raw}", field=field)
    return value


def parse_candidates(
    records: Iterable[Mapping[str, Any]],
    hubs: Iterable[str],
    start: datetime,
    end: datetime,
    *,
    where: str = "candidates",
    first: int = 0,
) -> list[Candidate]:
    """Check each candidate row; a capacity that can carry nothing is an error, not a no-op."""
    codes = set(hubs)
    out: list[Candidate] = []
    seen: set[str] = set()
    for i, record in enumerate(records, start=first):
        at = f"{where}[{i}]"
        ident = str(record.get("id") or "").strip()
        if not ident:
            raise InvalidInput(f"row {i}: is required", field=f"{at}.id")
        if ident in seen:
            raise InvalidInput(f"row {i}: candidate {ident!r} appears twice", field=f"{at}.id")
        seen.add(ident)
        ends = []
        for name in ("origin", "destination"):
            code = str(record.get(name) or "").strip().upper()
            if code not in codes:
                raise InvalidInput(f"row {i}: unknown hub {code!r}", field=f"{at}.{name}")
            ends.append(code)
        if ends[0] == ends[1]:
            raise InvalidInput(
                f"row {i}: destination must differ from origin", field=f"{at}.destination"
            )
        raw = str(record.get("departure_utc") or "").strip()
        try:
            dep = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidInput(
                f"row {i}: not an ISO 8601 date-time: {raw!r}", field=f"{at}.departure_utc"
            ) from exc
        if dep.tzinfo is None or not start <= dep < end:
            raise InvalidInput(
                f"row {i}: must be an aware time in [{start.isoformat()}, {end.isoformat()})",
                field=f"{at}.departure_utc",
            )
        duration = _number(record, "duration_minutes", f"{at}.duration_minutes", positive=True)
        mode = str(record.get("mode") or "air").strip().lower()
        if mode not in {"air", "rail", "road"}:
            raise InvalidInput(f"row {i}: unknown mode {mode!r}", field=f"{at}.mode")
        out.append(
            Candidate(
                id=ident,
                mode=mode,
                origin=ends[0],
                destination=ends[1],
                departure_utc=dep,
                duration_minutes=int(duration),
                capacity_kg=float(
                    _number(record, "capacity_kg", f"{at}.capacity_kg", positive=True)
                ),
                capacity_m3=float(
                    _number(record, "capacity_m3", f"{at}.capacity_m3", positive=True)
                ),
                cost_per_kg=float(
                    _number(record, "cost_per_kg", f"{at}.cost_per_kg", positive=False)
                ),
                fixed_cost=float(_number(record, "fixed_cost", f"{at}.fixed_cost", positive=False)),
            )
        )
    return out


def parse_hub_limits(
    records: Iterable[Mapping[str, Any]], hubs: Iterable[str], *, where: str = "hub_limits"
) -> list[HubLimit]:
    """Hub throughput rows (hub, parcels_per_hour); zero throughput would strand every parcel."""
    codes = set(hubs)
    out = []
    for i, record in enumerate(records):
        at = f"{where}[{i}]"
        code = str(record.get("hub") or "").strip().upper()
        if code not in codes:
            raise InvalidInput(f"row {i}: unknown hub {code!r}", field=f"{at}.hub")
        rate = _number(record, "parcels_per_hour", f"{at}.parcels_per_hour", positive=True)
        out.append(HubLimit(code, float(rate)))
    return out

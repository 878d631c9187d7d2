"""Use cases over the whole timetable: the 72-hour coverage report and connection export.

Coverage: for each origin hub (one or all) and every delivery zone, the fastest
delivery for each of the 168 hourly ready times of a week. p50/p95 use the nearest-rank method over all 168
values, an unreachable ready time counting as infinitely late (then p95 is None).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.model import Connection, expand_connections
from ewtp.domain.network.routing import PROMISE
from ewtp.domain.network.timetable import INF, Timetable
from ewtp.services.network.batch import profile_of
from ewtp.services.network.ports import NetworkUnitOfWork, require_snapshot
from ewtp.services.network.routing import compiled_network, resolve_target

__all__ = [
    "CoverageRow",
    "compile_week",
    "coverage_grid",
    "coverage_report",
    "export_connections",
    "nearest_rank",
]

HOURS_PER_WEEK = 168
MAX_EXPORT_DAYS = 366


@dataclass(frozen=True, slots=True)
class CoverageRow:
    origin: str
    zone: str
    hub: str
    ready_times: int
    met_share: float
    p50_hours: float | None
    p95_hours: float | None
    unreachable: int


def nearest_rank(sorted_values: list[float], percent: int) -> float | None:
    """The nearest-rank percentile; None when it falls on an unreachable (inf) value."""
    rank = max(1, math.ceil(percent / 100 * len(sorted_values)))
    value = sorted_values[rank - 1]
    return None if math.isinf(value) else round(value, 2)


def coverage_report(
    uow: NetworkUnitOfWork,
    origin: str | None,
    week_start: date,
    horizon_days: int = 14,
    *,
    method: str = "profile",
) -> list[CoverageRow]:
    """One row per (origin, delivery zone), for ready times week_start 00:00Z + 0..167 h.

    `origin=None` covers every hub. `method="profile"` reads one earliest-arrival
    profile per origin and timetable week (one pass over the connections answers all
    168 ready times for every zone); `method="search"` runs the per-ready-time search
    this report used before, kept as the baseline it is timed and checked against.
    """
    grid = coverage_grid(uow, origin, week_start, horizon_days, method=method)
    return [_row(code, country, hub, list(hours)) for code, country, hub, hours in grid]


def coverage_grid(
    uow: NetworkUnitOfWork,
    origin: str | None,
    week_start: date,
    horizon_days: int = 14,
    *,
    method: str = "profile",
) -> list[tuple[str, str, str, list[float]]]:
    """(origin, zone, hub, door-to-door hours per ready time in ready-time order, inf
    where nothing arrives): the grid the report summarises and the console's heatmap
    draws, so a cell never disagrees with its row."""
    if method not in ("profile", "search"):
        raise InvalidInput("must be profile or search", field="method")
    net = compiled_network(uow)
    if origin is None:
        origins = sorted(net.hubs)
    else:
        code = origin.strip().upper()
        if code not in net.hubs:
            raise InvalidInput(f"unknown hub {origin!r}", field="origin")
        origins = [code]
    start = datetime.combine(week_start, datetime.min.time(), tzinfo=UTC)
    readies = []  # (timetable, ready, cutoff) per hour of the week
    for h in range(HOURS_PER_WEEK):
        ready = start + timedelta(hours=h)
        cutoff = int((ready + timedelta(days=horizon_days)).timestamp())
        readies.append((net.timetable(ready, horizon_days), int(ready.timestamp()), cutoff))
    zones = [(country, resolve_target(net, country)) for country in sorted(net.zones)]
    arrivals = _by_profile if method == "profile" else _by_search
    grid = []
    for code in origins:
        by_hub: dict[str, list[int]] = {}  # zones served by one hub share its arrivals
        for country, target in zones:
            found = by_hub.get(target.hub)
            if found is None:
                found = by_hub[target.hub] = arrivals(readies, code, target.hub)
            mile = target.last_mile.total_seconds()
            hours = [
                math.inf if a >= INF else (a - t + mile) / 3600
                for a, (_, t, _) in zip(found, readies, strict=True)
            ]
            grid.append((code, country, target.hub, hours))
    return grid


Readies = list[tuple[Timetable, int, int]]


def compile_week(uow: NetworkUnitOfWork, week_start: date, horizon_days: int = 14) -> None:
    """Compile the timetables a coverage week reads, so that timing a method excludes it."""
    net = compiled_network(uow)
    start = datetime.combine(week_start, datetime.min.time(), tzinfo=UTC)
    for h in (0, HOURS_PER_WEEK - 1):
        net.timetable(start + timedelta(hours=h), horizon_days)


def _by_profile(readies: Readies, origin: str, hub: str) -> list[int]:
    """One pass over the connections per origin and week answers every ready time."""
    out: list[int] = []
    for table in dict.fromkeys(table for table, _, _ in readies):  # in order, once each
        mine = [(t, c) for tt, t, c in readies if tt is table]
        profile = profile_of(table, origin)
        out += profile.arrivals(table.index[hub], [t for t, _ in mine], [c for _, c in mine])
    return out


def _by_search(readies: Readies, origin: str, hub: str) -> list[int]:
    """The previous method: a full search per first origin departure, memoised."""
    out = []
    for table, ready, cutoff in readies:
        o, g = table.index[origin], table.index[hub]
        if o == g:
            out.append(ready)
            continue
        best, via = table.profile(o, ready)
        found, last = best[g], via[g]
        if found < INF and table.dep[last] >= cutoff:
            found = table.earliest_arrival(o, ready, cutoff, g)[0][g]
        out.append(found)
    return out


def _row(origin: str, country: str, hub: str, hours: list[float]) -> CoverageRow:
    hours.sort()
    met = sum(1 for h in hours if h <= PROMISE.total_seconds() / 3600)
    return CoverageRow(
        origin=origin,
        zone=country,
        hub=hub,
        ready_times=len(hours),
        met_share=round(met / len(hours), 4),
        p50_hours=nearest_rank(hours, 50),
        p95_hours=nearest_rank(hours, 95),
        unreachable=sum(1 for h in hours if math.isinf(h)),
    )


def export_connections(uow: NetworkUnitOfWork, start: date, days: int) -> list[Connection]:
    """Every dated connection departing on local dates [start, start + days)."""
    if not 1 <= days <= MAX_EXPORT_DAYS:
        raise InvalidInput(f"must be within 1..{MAX_EXPORT_DAYS}", field="days")
    snap = require_snapshot(uow)
    return expand_connections(snap.services, snap.hubs, start, days)

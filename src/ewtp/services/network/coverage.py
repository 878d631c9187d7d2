"""Use cases over the whole timetable: the 72-hour coverage report and connection export.

Coverage: for one origin hub and every delivery zone, the fastest delivery for each of
the 168 hourly ready times of a week. p50/p95 use the nearest-rank method over all 168
values, an unreachable ready time counting as infinitely late (then p95 is None).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.model import Connection, expand_connections
from ewtp.domain.network.routing import PROMISE
from ewtp.domain.network.timetable import INF
from ewtp.services.network.ports import NetworkUnitOfWork, require_snapshot
from ewtp.services.network.routing import compiled_network, resolve_target

__all__ = ["CoverageRow", "coverage_report", "export_connections", "nearest_rank"]

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
    uow: NetworkUnitOfWork, origin: str, week_start: date, horizon_days: int = 14
) -> list[CoverageRow]:
    """One row per delivery zone, for ready times week_start 00:00Z + 0..167 hours."""
    net = compiled_network(uow)
    code = origin.strip().upper()
    if code not in net.hubs:
        raise InvalidInput(f"unknown hub {origin!r}", field="origin")
    start = datetime.combine(week_start, datetime.min.time(), tzinfo=UTC)
    readies = [start + timedelta(hours=h) for h in range(HOURS_PER_WEEK)]
    rows = []
    for country in sorted(net.zones):
        target = resolve_target(net, country)
        hours: list[float] = []
        for ready in readies:
            table = net.timetable(ready, horizon_days)
            t = int(ready.timestamp())
            cutoff = int((ready + timedelta(days=horizon_days)).timestamp())
            o, g = table.index[code], table.index[target.hub]
            if o == g:
                arrival = t
            else:
                best, via = table.profile(o, t)
                arrival, last = best[g], via[g]
                if arrival < INF and table.dep[last] >= cutoff:
                    arrival = table.earliest_arrival(o, t, cutoff, g)[0][g]
            if arrival >= INF:
                hours.append(math.inf)
            else:
                hours.append((arrival - t + target.last_mile.total_seconds()) / 3600)
        hours.sort()
        met = sum(1 for h in hours if h <= PROMISE.total_seconds() / 3600)
        rows.append(
            CoverageRow(
                origin=code,
                zone=country,
                hub=target.hub,
                ready_times=len(hours),
                met_share=round(met / len(hours), 4),
                p50_hours=nearest_rank(hours, 50),
                p95_hours=nearest_rank(hours, 95),
                unreachable=sum(1 for h in hours if math.isinf(h)),
            )
        )
    return rows


def export_connections(uow: NetworkUnitOfWork, start: date, days: int) -> list[Connection]:
    """Every dated connection departing on local dates [start, start + days)."""
    if not 1 <= days <= MAX_EXPORT_DAYS:
        raise InvalidInput(f"must be within 1..{MAX_EXPORT_DAYS}", field="days")
    snap = require_snapshot(uow)
    return expand_connections(snap.services, snap.hubs, start, days)

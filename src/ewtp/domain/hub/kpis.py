"""Hub KPIs from scans and the decision log: throughput, dwell, backlog, misses, risk.

- Throughput: `arrived` and `departed` scans and sort decisions per UTC hour.
- Dwell: for each `departed` scan in the window, the time since the parcel's latest
  `arrived` scan at the hub before it; p50 and p95 by the nearest-rank method (the
  smallest value with at least p % of the values at or below it).
- Backlog at `end`: parcels whose latest scan at the hub before `end` is `arrived`.
- Cut-off misses: `rerouted` decisions per booked departure they missed.
- Promise at risk: backlog parcels whose latest decision says the promise fails.

The decisions enter only as counts (per hour, per missed departure), so a store can
answer them from hourly totals instead of reading a day's million decisions
(`count_decisions` is the definition; `compute_kpis` applies it to the log itself).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = [
    "HourFigures",
    "HubKpis",
    "HubScan",
    "LoggedDecision",
    "Miss",
    "compute_kpis",
    "count_decisions",
    "kpis_from_counts",
    "nearest_rank",
]


@dataclass(frozen=True, slots=True)
class HubScan:
    tracking_number: str
    milestone: str  # "arrived" or "departed"
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class LoggedDecision:
    tracking_number: str
    scanned_at: datetime
    reason: str
    chute: str
    service_id: str | None
    departure_utc: datetime | None
    promise_holds: bool | None
    booked_service_id: str | None
    booked_departure_utc: datetime | None


@dataclass(frozen=True, slots=True)
class HourFigures:
    hour_utc: datetime
    arrived: int
    departed: int
    decided: int


@dataclass(frozen=True, slots=True)
class Miss:
    service_id: str
    departure_utc: datetime
    rerouted: int


@dataclass(frozen=True, slots=True)
class HubKpis:
    hub: str
    start: datetime
    end: datetime
    throughput: tuple[HourFigures, ...]
    dwell_count: int
    dwell_p50_minutes: float | None
    dwell_p95_minutes: float | None
    backlog: int
    cutoff_misses: tuple[Miss, ...]
    at_risk: tuple[str, ...]


def nearest_rank(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile by nearest rank (values need not be sorted)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


Misses = Mapping[tuple[str, datetime], int]  # (booked service, its departure) -> rerouted


def count_decisions(
    decisions: Sequence[LoggedDecision], start: datetime, end: datetime
) -> tuple[Counter[datetime], Counter[tuple[str, datetime]]]:
    """Decisions scanned in [start, end) per UTC hour, and `rerouted` ones per booked
    departure they missed."""
    inside = [d for d in decisions if start <= d.scanned_at < end]
    decided: Counter[datetime] = Counter(_hour(d.scanned_at) for d in inside)
    misses: Counter[tuple[str, datetime]] = Counter(
        (d.booked_service_id, d.booked_departure_utc)
        for d in inside
        if d.reason == "rerouted"
        and d.booked_service_id is not None
        and d.booked_departure_utc is not None
    )
    return decided, misses


def compute_kpis(
    hub: str,
    start: datetime,
    end: datetime,
    scans: Sequence[HubScan],
    decisions: Sequence[LoggedDecision],
    latest: Mapping[str, LoggedDecision],
) -> HubKpis:
    """`scans` cover [lookback, end) so dwell and backlog see arrivals before `start`;
    `decisions` are those in [start, end); `latest` maps parcels to their latest one."""
    decided, misses = count_decisions(decisions, start, end)
    return kpis_from_counts(hub, start, end, scans, decided, misses, latest)


def kpis_from_counts(
    hub: str,
    start: datetime,
    end: datetime,
    scans: Sequence[HubScan],
    decided: Mapping[datetime, int],
    misses: Misses,
    latest: Mapping[str, LoggedDecision],
) -> HubKpis:
    """The KPIs from the decisions' counts (see `count_decisions`)."""
    arrived: Counter[datetime] = Counter()
    departed: Counter[datetime] = Counter()
    last_arrival: dict[str, datetime] = {}
    last_kind: dict[str, str] = {}
    dwell: list[float] = []
    for scan in sorted(scans, key=lambda s: (s.occurred_at, s.milestone)):
        if scan.occurred_at >= end:
            continue
        inside = scan.occurred_at >= start
        number = scan.tracking_number
        if scan.milestone == "arrived":
            last_arrival[number] = scan.occurred_at
            if inside:
                arrived[_hour(scan.occurred_at)] += 1
        elif scan.milestone == "departed":
            came = last_arrival.get(number)
            if inside:
                departed[_hour(scan.occurred_at)] += 1
                if came is not None and last_kind.get(number) == "arrived":
                    dwell.append((scan.occurred_at - came).total_seconds() / 60)
        last_kind[number] = scan.milestone
    backlog = sorted(n for n, kind in last_kind.items() if kind == "arrived")
    hours: list[HourFigures] = []
    moment = _hour(start)
    while moment < end:
        hours.append(HourFigures(moment, arrived[moment], departed[moment], decided.get(moment, 0)))
        moment += timedelta(hours=1)
    at_risk = tuple(n for n in backlog if n in latest and latest[n].promise_holds is False)
    return HubKpis(
        hub=hub,
        start=start,
        end=end,
        throughput=tuple(hours),
        dwell_count=len(dwell),
        dwell_p50_minutes=nearest_rank(dwell, 50),
        dwell_p95_minutes=nearest_rank(dwell, 95),
        backlog=len(backlog),
        cutoff_misses=tuple(
            Miss(s, t, n)
            for (s, t), n in sorted(misses.items(), key=lambda kv: (kv[0][1], kv[0][0]))
            if n
        ),
        at_risk=at_risk,
    )

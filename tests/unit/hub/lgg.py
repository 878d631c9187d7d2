"""The built-in LGG model and network, compiled for the hub's pure functions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache

from ewtp.adapters.hub.files import read_builtin_hub
from ewtp.adapters.network.files import BUILTIN_DIR, NetworkFiles, read_network_dir
from ewtp.domain.hub import DepartureTable, HubModel, SortPlan, build_sort_plan
from ewtp.domain.network.model import Connection, expand_connections

DAY = date(2026, 11, 11)
START = DAY - timedelta(days=1)
DAYS = 8


@lru_cache(maxsize=1)
def network() -> NetworkFiles:
    return read_network_dir(BUILTIN_DIR, DAY)


@lru_cache(maxsize=1)
def lgg() -> HubModel:
    return read_builtin_hub("LGG", DAY)


@lru_cache(maxsize=1)
def connections() -> tuple[Connection, ...]:
    net = network()
    return tuple(expand_connections(net.services, net.hubs, START, DAYS))


@lru_cache(maxsize=1)
def table() -> DepartureTable:
    mct = {h.code: h.min_connection_minutes for h in network().hubs}
    return DepartureTable(connections(), mct, "LGG", lgg().loading)


@lru_cache(maxsize=1)
def plan() -> SortPlan:
    t = table()
    lanes = sorted({s.id for s in network().services if s.origin == "LGG"})
    return build_sort_plan(lgg(), DAY, t.departures, {d: t.served(d) for d in t.departures}, lanes)


def zone_targets() -> dict[str, tuple[str, timedelta]]:
    """Country -> (zone hub, last mile)."""
    return {z.country: (z.hub, timedelta(hours=float(z.last_mile_hours))) for z in network().zones}


def window() -> tuple[datetime, datetime]:
    """Scan times with at least four days of timetable after them."""
    first = min(c.departure_utc for c in connections())
    return first + timedelta(days=1), first + timedelta(days=3)

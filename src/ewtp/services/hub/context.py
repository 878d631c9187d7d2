"""The compiled sort context of one hub and local day: model, departure table, plan.

Built once per (network version, hub, model digest, day) and cached, so a decision
costs lookups only. The network and the context of a (hub, day) are trusted for
`FRESH_SECONDS` before their version and digest are looked up again, so a hot path
asks the database nothing for them; a loaded network or hub model takes effect within
that time. The departure table covers local days [day - 1, day + 6): a scan
late on `day` can be rerouted up to the 72-hour horizon and still find onward legs.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import (
    Departure,
    DepartureTable,
    HubModel,
    Sorter,
    SortPlan,
    build_hub_model,
    build_sort_plan,
)
from ewtp.domain.network.model import Connection, Hub, Service, Zone, expand_connections
from ewtp.services.hub.ports import HubUnitOfWork
from ewtp.services.network.routing import CompiledNetwork, compiled_network

__all__ = [
    "FRESH_SECONDS",
    "SortContext",
    "build_context",
    "current_network",
    "hub_model",
    "local_day",
    "require_hub",
    "sort_context",
]

FRESH_SECONDS = 2.0
_WINDOW_DAYS = 7
_CACHE = 32


@dataclass(frozen=True)
class SortContext:
    hub: str
    day: date
    timezone: ZoneInfo
    model: HubModel
    table: DepartureTable
    plan: SortPlan
    sorter: Sorter
    zones: dict[str, Zone]
    connections: tuple[Connection, ...] = ()  # the window's connections, UTC

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(self.timezone).date()


_contexts: OrderedDict[tuple[str, str, str, date], SortContext] = OrderedDict()
_fresh: dict[tuple[str, str, date], tuple[float, SortContext]] = {}
_fresh_network: dict[str, tuple[float, CompiledNetwork]] = {}
_lock = threading.Lock()


def current_network(uow: HubUnitOfWork) -> CompiledNetwork:
    """The compiled network, its version checked at most every `FRESH_SECONDS`."""
    now = time.monotonic()
    with _lock:
        recent = _fresh_network.get(uow.scope)
    if recent is not None and recent[0] > now:
        return recent[1]
    net = compiled_network(uow)
    with _lock:
        if len(_fresh_network) > _CACHE:
            _fresh_network.clear()
        _fresh_network[uow.scope] = (now + FRESH_SECONDS, net)
    return net


def require_hub(net: CompiledNetwork, hub: str) -> str:
    code = hub.strip().upper()
    if code not in net.hubs:
        raise InvalidInput(f"unknown hub {hub!r}", field="hub")
    return code


def local_day(net: CompiledNetwork, hub: str, moment: datetime) -> date:
    return moment.astimezone(ZoneInfo(net.hubs[hub].timezone)).date()


def hub_model(uow: HubUnitOfWork, hub: str, on: date) -> tuple[str, HubModel]:
    """(digest, model) of the hub as of `on`; unknown hubs name the field `hub`."""
    code = hub.strip().upper()
    with uow:
        found = uow.models.rows(code)
    if found is None:
        raise InvalidInput(f"unknown hub {hub!r}: no hub model is loaded for it", field="hub")
    digest, rows = found
    return digest, build_hub_model(rows, on)


def sort_context(uow: HubUnitOfWork, hub: str, day: date) -> SortContext:
    """The context of `hub` on its local date `day` (cached)."""
    now = time.monotonic()
    with _lock:
        recent = _fresh.get((uow.scope, hub.strip().upper(), day))
    if recent is not None and recent[0] > now:
        return recent[1]
    net = current_network(uow)
    code = require_hub(net, hub)
    with uow:
        digest = uow.models.digest(code)
    if digest is None:
        raise InvalidInput(f"unknown hub {hub!r}: no hub model is loaded for it", field="hub")
    key = (net.snapshot.version, code, digest, day)
    with _lock:
        found = _contexts.get(key)
        if found is not None:
            _contexts.move_to_end(key)
            _fresh[(uow.scope, code, day)] = (now + FRESH_SECONDS, found)
            return found
    _digest, model = hub_model(uow, code, day)
    snap = net.snapshot
    context = build_context(snap.hubs, snap.services, net.zones, model, code, day)
    with _lock:
        _contexts[key] = context
        while len(_contexts) > _CACHE:
            _contexts.popitem(last=False)
        if len(_fresh) > _CACHE:
            _fresh.clear()
        _fresh[(uow.scope, code, day)] = (now + FRESH_SECONDS, context)
    return context


def build_context(
    hubs: Sequence[Hub],
    services: Sequence[Service],
    zones: Mapping[str, Zone],
    model: HubModel,
    code: str,
    day: date,
) -> SortContext:
    """The sort context of `code` on `day` from a network and a hub model, without I/O:
    the live API caches it per network version; the peak simulation builds its own."""
    connections = expand_connections(services, hubs, day - timedelta(days=1), _WINDOW_DAYS)
    mct = {h.code: h.min_connection_minutes for h in hubs}
    table = DepartureTable(connections, mct, code, model.loading)
    lanes = sorted({s.id for s in services if s.origin == code})
    serves = {d: _served(table, d, zones) for d in table.departures}
    plan = build_sort_plan(model, day, table.departures, serves, lanes)
    timezone = next(h.timezone for h in hubs if h.code == code)
    return SortContext(
        hub=code,
        day=day,
        timezone=ZoneInfo(timezone),
        model=model,
        table=table,
        plan=plan,
        sorter=Sorter(plan, table),
        zones=dict(zones),
        connections=tuple(connections),
    )


def _served(
    table: DepartureTable, departure: Departure, zones: Mapping[str, Zone]
) -> tuple[str, ...]:
    """Hubs and the zone countries behind them that a departure serves."""
    hubs = table.served(departure)
    countries = sorted(z.country for z in zones.values() if z.hub in hubs)
    return (*hubs, *countries)

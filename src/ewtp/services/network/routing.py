"""Use cases of the route engine: plan one route, find a country's origin hub.

The compiled timetable is cached per network version and per week of ready times, so
repeated queries cost one version lookup plus the search itself.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ewtp.domain.errors import InvalidInput, NotFound
from ewtp.domain.network.model import Hub, NetworkSnapshot, Zone, expand_connections
from ewtp.domain.network.routing import Itinerary, Leg, RoutePlan, promise_met
from ewtp.domain.network.timetable import Label, Timetable
from ewtp.services.network.ports import NetworkUnitOfWork

__all__ = [
    "MAX_HORIZON_DAYS",
    "CompiledNetwork",
    "Target",
    "compiled_network",
    "itinerary_of",
    "origin_hub_for_country",
    "plan_route",
    "require_aware",
    "resolve_target",
]

MAX_HORIZON_DAYS = 60
_CACHE_NETWORKS = 4
_CACHE_WEEKS = 16


@dataclass
class CompiledNetwork:
    """A network version with its timetables, one per (week, horizon)."""

    snapshot: NetworkSnapshot
    hubs: dict[str, Hub]
    zones: dict[str, Zone]
    _weeks: OrderedDict[tuple[date, int], Timetable] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def timetable(self, ready: datetime, horizon_days: int) -> Timetable:
        """Connections departing in the local dates around [week of ready, + horizon]."""
        monday = ready.astimezone(UTC).date() - timedelta(days=ready.astimezone(UTC).weekday())
        key = (monday, horizon_days)
        with self._lock:
            found = self._weeks.get(key)
            if found is not None:
                self._weeks.move_to_end(key)
                return found
        conns = expand_connections(
            self.snapshot.services,
            self.snapshot.hubs,
            monday - timedelta(days=1),
            7 + horizon_days + 2,
        )
        table = Timetable(conns, {h.code: h.min_connection_minutes for h in self.snapshot.hubs})
        with self._lock:
            self._weeks[key] = table
            while len(self._weeks) > _CACHE_WEEKS:
                self._weeks.popitem(last=False)
        return table


_networks: OrderedDict[str, CompiledNetwork] = OrderedDict()
_networks_lock = threading.Lock()


def compiled_network(uow: NetworkUnitOfWork) -> CompiledNetwork:
    """The stored network, compiled once per version."""
    with uow:
        version = uow.network.version()
        if version is None:
            raise NotFound(
                "no network is loaded; run `ewtp seed` or `ewtp network load DIR`",
                field="network",
            )
        with _networks_lock:
            found = _networks.get(version)
        if found is not None:
            return found
        snap = uow.network.snapshot()
    assert snap is not None
    compiled = CompiledNetwork(
        snapshot=snap,
        hubs={h.code: h for h in snap.hubs},
        zones={z.country: z for z in snap.zones},
    )
    with _networks_lock:
        _networks[snap.version] = compiled
        while len(_networks) > _CACHE_NETWORKS:
            _networks.popitem(last=False)
    return compiled


@dataclass(frozen=True, slots=True)
class Target:
    """Where a route ends: a hub, plus the last mile when it is a zone."""

    hub: str
    last_mile: timedelta


#: Ready times the timetable can hold: its window reaches a week and the horizon ahead.
_EARLIEST_READY = datetime(1971, 1, 1, tzinfo=UTC)
_LATEST_READY = datetime(9998, 12, 31, tzinfo=UTC)


def require_aware(ready: datetime, name: str = "ready") -> datetime:
    if ready.tzinfo is None or ready.utcoffset() is None:
        raise InvalidInput("needs a time zone, e.g. 2026-11-23T10:00:00+08:00 or ...Z", field=name)
    try:
        ready_utc = ready.astimezone(UTC)
    except OverflowError:
        ready_utc = _LATEST_READY + timedelta(days=1)
    if not _EARLIEST_READY <= ready_utc <= _LATEST_READY:
        raise InvalidInput("must lie between 1971-01-01 and 9998-12-31", field=name)
    return ready_utc


def resolve_target(net: CompiledNetwork, destination: str) -> Target:
    """A country code names a delivery zone, anything else must be a hub code."""
    dest = destination.strip().upper()
    zone = net.zones.get(dest)
    if zone is not None:
        return Target(zone.hub, timedelta(seconds=int(zone.last_mile_hours * 3600)))
    if dest in net.hubs:
        return Target(dest, timedelta(0))
    kind = "country (no delivery zone)" if len(dest) == 2 else "hub or country"
    raise InvalidInput(f"unknown {kind} {destination!r}", field="destination")


def _check_origin(net: CompiledNetwork, origin: str) -> str:
    code = origin.strip().upper()
    if code not in net.hubs:
        raise InvalidInput(f"unknown hub {origin!r}", field="origin")
    return code


def plan_route(
    uow: NetworkUnitOfWork,
    origin: str,
    destination: str,
    ready: datetime,
    horizon_days: int = 14,
) -> RoutePlan:
    """The fastest itinerary, the (delivery time, cost) Pareto set and the promise check.

    The search uses connections departing in [ready, ready + horizon_days). `fastest` is
    the earliest delivery (the cheapest among equally fast ones), i.e. `options[0]`.
    It opens and closes its own `with uow:` block, so call it outside yours (or hand
    it a separate `SqlAlchemyNetworkUnitOfWork`): re-entering a unit of work that is
    already open would replace its session.
    """
    ready_utc = require_aware(ready)
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"must be within 1..{MAX_HORIZON_DAYS}", field="horizon_days")
    net = compiled_network(uow)
    code = _check_origin(net, origin)
    target = resolve_target(net, destination)
    if target.last_mile == timedelta(0) and target.hub == code:
        raise InvalidInput("must differ from the origin hub", field="destination")
    table = net.timetable(ready_utc, horizon_days)
    start = int(ready_utc.timestamp())
    cutoff = int((ready_utc + timedelta(days=horizon_days)).timestamp())
    labels = table.pareto(table.index[code], table.index[target.hub], start, cutoff)
    options = tuple(_itinerary(table, label, ready_utc, target) for label in labels)
    fastest = options[0] if options else None
    return RoutePlan(
        origin=code,
        destination=destination.strip().upper(),
        ready_utc=ready_utc,
        fastest=fastest,
        options=options,
        promise_met=promise_met(ready_utc, fastest),
    )


def _itinerary(table: Timetable, label: Label, ready: datetime, target: Target) -> Itinerary:
    chain: list[int] = []
    node: Label | None = label
    while node is not None and node.connection >= 0:
        chain.append(node.connection)
        node = node.parent
    chain.reverse()
    return itinerary_of(table, chain, ready, target)


def itinerary_of(table: Timetable, chain: list[int], ready: datetime, target: Target) -> Itinerary:
    """An itinerary from connection indices; money and CO2 summed exactly in Decimal."""
    conns = [table.connections[k] for k in chain]
    legs = tuple(
        Leg(c.service_id, c.mode.value, c.origin, c.destination, c.departure_utc, c.arrival_utc)
        for c in conns
    )
    arrival = legs[-1].arrival_utc if legs else ready
    return Itinerary(
        legs=legs,
        arrival_utc=arrival,
        delivered_utc=arrival + target.last_mile,
        cost_per_kg=sum((c.cost_per_kg for c in conns), start=Decimal(0)),
        co2_kg_per_kg=sum((c.co2_kg_per_kg for c in conns), start=Decimal(0)),
    )


def origin_hub_for_country(uow: NetworkUnitOfWork, country: str) -> str:
    """The hub that collects parcels in `country`: its zone's hub, else a hub located there.

    CN -> HGH and BE -> LGG on the built-in network.
    """
    net = compiled_network(uow)
    code = country.strip().upper()
    zone = net.zones.get(code)
    if zone is not None:
        return zone.hub
    located = sorted(h.code for h in net.hubs.values() if h.country == code)
    if not located:
        raise InvalidInput(f"no hub serves country {country!r}", field="country")
    return located[0]

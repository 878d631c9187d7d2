"""Route engine at scale: many queries at once, and earliest-arrival profiles per origin.

The public entry points for other capabilities (quotes in bulk, hub re-routing,
simulation, capacity planning):

* `plan_routes(uow, queries)`: a `RoutePlan` per `RouteQuery`, in order, equal to
  `plan_route` for each. Queries are grouped by origin and by the first origin
  departure their ready time can catch; one profile scan per group answers every
  zone, hub and cutoff in it (`domain/network/profile.py`), and a group's itineraries are
  shared by all its queries, since only `ready_utc`, `hours` and the promise depend on
  the exact ready time.
* `arrival_profile(uow, origin, ready)`: earliest arrival at every hub and zone for
  every departure from `origin`, computed in one pass; `OriginProfile.earliest` asks it
  for any ready time in the timetable's week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.profile import ArrivalProfile, first_departure, pareto_snapshots
from ewtp.domain.network.routing import Itinerary, Leg, RoutePlan, promise_met
from ewtp.domain.network.timetable import INF, Label, Timetable
from ewtp.services.network.ports import NetworkUnitOfWork
from ewtp.services.network.routing import (
    MAX_HORIZON_DAYS,
    CompiledNetwork,
    Target,
    compiled_network,
    require_aware,
    resolve_target,
)

__all__ = [
    "MAX_BATCH",
    "BatchInvalid",
    "OriginProfile",
    "RouteQuery",
    "arrival_profile",
    "plan_routes",
    "profile_of",
]

#: The most queries one call of the API takes (the CLI streams larger files in chunks).
MAX_BATCH = 10_000
_ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class RouteQuery:
    origin: str
    destination: str
    ready: datetime


class BatchInvalid(InvalidInput):
    """Some queries of a batch are invalid; `problems` lists each with its index."""

    def __init__(self, problems: Sequence[tuple[int, InvalidInput]]) -> None:
        self.problems = tuple(problems)
        first_index, first = self.problems[0]
        listed = "; ".join(f"queries[{i}].{e.field}: {e.message}" for i, e in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(
            f"{len(self.problems)} invalid query(ies), nothing answered: {listed}{more}",
            field=f"queries[{first_index}].{first.field}",
        )

    def field_errors(self) -> list[tuple[str, str]]:
        return [(f"queries[{i}].{e.field}", e.message) for i, e in self.problems]


@dataclass(frozen=True, slots=True)
class _Prepared:
    origin: str
    destination: str
    target: Target
    ready: datetime
    start: int  # ready as integer seconds, the way `plan_route` reads it


def _prepare(net: CompiledNetwork, query: RouteQuery, targets: dict[str, Target]) -> _Prepared:
    ready = require_aware(query.ready)
    code = query.origin.strip().upper()
    if code not in net.hubs:
        raise InvalidInput(f"unknown hub {query.origin!r}", field="origin")
    target = targets.get(query.destination)
    if target is None:
        target = targets[query.destination] = resolve_target(net, query.destination)
    if target.last_mile == timedelta(0) and target.hub == code:
        raise InvalidInput("must differ from the origin hub", field="destination")
    return _Prepared(code, query.destination.strip().upper(), target, ready, int(ready.timestamp()))


class _Itineraries:
    """Itineraries of one timetable, built once per (label, destination)."""

    def __init__(self, table: Timetable) -> None:
        self.table = table
        self._legs: dict[int, Leg] = {}
        self._chains: dict[int, tuple[Label, tuple[Leg, ...], Decimal, Decimal]] = {}
        self._built: dict[tuple[int, timedelta], Itinerary] = {}

    def _leg(self, k: int) -> Leg:
        leg = self._legs.get(k)
        if leg is None:
            c = self.table.connections[k]
            leg = Leg(c.service_id, c.mode.value, c.origin, c.destination, c.departure_utc,
                      c.arrival_utc)  # fmt: skip
            self._legs[k] = leg
        return leg

    def of(self, label: Label, last_mile: timedelta) -> Itinerary:
        key = (id(label), last_mile)
        found = self._built.get(key)
        if found is not None:
            return found
        chain = self._chains.get(id(label))
        if chain is None:
            ks: list[int] = []
            node: Label | None = label
            while node is not None and node.connection >= 0:
                ks.append(node.connection)
                node = node.parent
            ks.reverse()
            conns = [self.table.connections[k] for k in ks]
            chain = (
                label,  # kept so that id(label) stays unique while cached
                tuple(self._leg(k) for k in ks),
                sum((c.cost_per_kg for c in conns), start=_ZERO),
                sum((c.co2_kg_per_kg for c in conns), start=_ZERO),
            )
            self._chains[id(label)] = chain
        _, legs, cost, co2 = chain
        arrival = legs[-1].arrival_utc
        found = Itinerary(legs, arrival, arrival + last_mile, cost, co2)
        self._built[key] = found
        return found


def plan_routes(
    uow: NetworkUnitOfWork,
    queries: Sequence[RouteQuery],
    horizon_days: int = 14,
    on_progress: Callable[[int], None] | None = None,
) -> list[RoutePlan]:
    """A `RoutePlan` per query, in order; each equals `plan_route` for that query.

    Every query is checked before any is answered: invalid ones raise `BatchInvalid`
    naming each by its index (`queries[3].destination`). `on_progress(n)` is called
    as groups of n queries are answered. Like `plan_route`, it opens its own
    `with uow:` block.
    """
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"must be within 1..{MAX_HORIZON_DAYS}", field="horizon_days")
    net = compiled_network(uow)
    prepared: list[_Prepared] = []
    problems: list[tuple[int, InvalidInput]] = []
    targets: dict[str, Target] = {}
    for i, query in enumerate(queries):
        try:
            prepared.append(_prepare(net, query, targets))
        except InvalidInput as exc:
            problems.append((i, exc))
    if problems:
        raise BatchInvalid(problems)
    horizon = timedelta(days=horizon_days)
    span = int(horizon.total_seconds())
    # (timetable, origin) -> first origin departure -> query indices
    groups: dict[tuple[int, str], dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    tables: dict[int, Timetable] = {}
    by_day: dict[date, Timetable] = {}  # the timetable depends on the ready time's UTC week
    for i, p in enumerate(prepared):
        table = by_day.get(p.ready.date())
        if table is None:
            table = by_day[p.ready.date()] = net.timetable(p.ready, horizon_days)
        tables[id(table)] = table
        start = first_departure(table, table.index[p.origin], p.start)
        groups[(id(table), p.origin)][start].append(i)
    plans: list[RoutePlan | None] = [None] * len(prepared)
    for (table_id, origin), by_start in groups.items():
        table = tables[table_id]
        build = _Itineraries(table)
        o = table.index[origin]
        for start, members in by_start.items():
            _answer_group(table, build, o, start, members, prepared, span, plans)
            if on_progress is not None:
                on_progress(len(members))
    return [p for p in plans if p is not None]


def _answer_group(
    table: Timetable,
    build: _Itineraries,
    o: int,
    start: int,
    members: list[int],
    prepared: list[_Prepared],
    span: int,
    plans: list[RoutePlan | None],
) -> None:
    """Answer the queries whose ready time first catches the origin departure `start`."""
    remote = [i for i in members if table.index[prepared[i].target.hub] != o]
    for i in members:
        if table.index[prepared[i].target.hub] == o:  # a zone served by the origin hub
            p = prepared[i]
            home = Itinerary((), p.ready, p.ready + p.target.last_mile, _ZERO, _ZERO)
            plans[i] = RoutePlan(p.origin, p.destination, p.ready, home, (home,),
                                 promise_met(p.ready, home))  # fmt: skip
    if not remote:
        return
    if start >= INF:
        for i in remote:
            p = prepared[i]
            plans[i] = RoutePlan(p.origin, p.destination, p.ready, None, (), False)
        return
    cut_of = {i: prepared[i].start + span for i in remote}
    cutoffs = sorted(set(cut_of.values()))
    hubs = sorted({table.index[prepared[i].target.hub] for i in remote})
    snaps = pareto_snapshots(table, o, start, cutoffs, hubs)
    snap_at = dict(zip(cutoffs, snaps, strict=True))
    at_hub = {h: n for n, h in enumerate(hubs)}
    # Snapshots between which no bag changed are one object: key answers on it.
    answers: dict[tuple[int, int, str], tuple[Itinerary, ...]] = {}
    for i in remote:
        p = prepared[i]
        h = table.index[p.target.hub]
        snap = snap_at[cut_of[i]]
        key = (id(snap), h, p.destination)
        options = answers.get(key)
        if options is None:
            labels = sorted(snap[at_hub[h]], key=lambda lb: (lb.arrival, lb.cost))
            options = tuple(build.of(lb, p.target.last_mile) for lb in labels)
            answers[key] = options
        fastest = options[0] if options else None
        plans[i] = RoutePlan(p.origin, p.destination, p.ready, fastest, options,
                             promise_met(p.ready, fastest))  # fmt: skip


@dataclass
class OriginProfile:
    """Earliest arrivals from one origin hub, for every departure of one timetable week."""

    net: CompiledNetwork
    table: Timetable
    origin: str
    profile: ArrivalProfile
    horizon_days: int

    def earliest(self, destination: str, ready: datetime) -> datetime | None:
        """Earliest delivery at a zone (arrival + last mile) or arrival at a hub.

        Uses connections departing in [ready, ready + horizon_days), like `plan_route`.
        `ready` must fall in this profile's timetable week.
        """
        ready_utc = require_aware(ready)
        if self.net.timetable(ready_utc, self.horizon_days) is not self.table:
            raise InvalidInput("lies outside this profile's timetable week", field="ready")
        target = resolve_target(self.net, destination)
        t = int(ready_utc.timestamp())
        cutoff = int((ready_utc + timedelta(days=self.horizon_days)).timestamp())
        arrival = self.profile.arrival(self.table.index[target.hub], t, cutoff)
        if arrival >= INF:
            return None
        return datetime.fromtimestamp(arrival, tz=UTC) + target.last_mile


def arrival_profile(
    uow: NetworkUnitOfWork, origin: str, ready: datetime, horizon_days: int = 14
) -> OriginProfile:
    """The earliest-arrival profile of `origin` over the timetable week holding `ready`."""
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidInput(f"must be within 1..{MAX_HORIZON_DAYS}", field="horizon_days")
    net = compiled_network(uow)
    code = origin.strip().upper()
    if code not in net.hubs:
        raise InvalidInput(f"unknown hub {origin!r}", field="origin")
    table = net.timetable(require_aware(ready), horizon_days)
    return OriginProfile(net, table, code, profile_of(table, code), horizon_days)


def profile_of(table: Timetable, origin: str) -> ArrivalProfile:
    """The one-pass profile of `origin` in `table`, computed once per timetable."""
    return table.cached(("arrival", origin), lambda: ArrivalProfile(table, table.index[origin]))

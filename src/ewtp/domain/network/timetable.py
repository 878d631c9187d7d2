"""A compiled timetable and the two exact searches over it.

Connections are kept as parallel integer arrays (seconds since the epoch, costs in
1/10000 EUR) sorted by departure. Two searches, both exact:

* `earliest_arrival`: a time-dependent Dijkstra over hubs. Each hub-to-hub edge keeps
  its departures sorted with the suffix minimum of their arrivals, so "the earliest
  arrival at v leaving u at or after t" is one bisection, also when a later departure
  overtakes an earlier one. Arrival functions are then non-decreasing (FIFO), which is
  what makes label-setting Dijkstra exact.
* `pareto`: a Connection Scan over (arrival, cost) bags per hub, scanning connections
  in departure order, which is a valid topological order because every leg takes time.

Transfer rule: leaving the origin needs departure >= ready; leaving any other hub needs
departure >= arrival + that hub's `min_connection_minutes`. The horizon keeps
connections that depart before `cutoff`.
"""

from __future__ import annotations

import heapq
from array import array
from bisect import bisect_left
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias, TypeVar, overload

from ewtp.domain.network.model import Connection

__all__ = [
    "COST_SCALE",
    "INF",
    "EdgeDepartures",
    "Label",
    "LazyConnections",
    "Timetable",
    "TimetableColumns",
]

#: Costs are compared as integers of 1/10000 EUR per kg (the data has at most 4 decimals).
COST_SCALE = 10_000
INF = 1 << 62
T = TypeVar("T")
#: dep, arr, frm, to, cost: one entry per connection, sorted by (departure, arrival).
TimetableColumns: TypeAlias = tuple[
    "array[int]", "array[int]", "array[int]", "array[int]", "array[int]"
]


class LazyConnections(Sequence[Connection]):
    """Connections made on demand from arrays, so a big timetable holds no objects."""

    def __init__(self, size: int, make: Callable[[int], Connection]) -> None:
        self._size = size
        self._make = make

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, k: int) -> Connection: ...
    @overload
    def __getitem__(self, k: slice) -> Sequence[Connection]: ...
    def __getitem__(self, k: int | slice) -> Connection | Sequence[Connection]:
        if isinstance(k, slice):
            return [self._make(i) for i in range(*k.indices(self._size))]
        if not -self._size <= k < self._size:
            raise IndexError(k)
        return self._make(k % self._size)


@dataclass(frozen=True, slots=True)
class Label:
    """One Pareto label: arrival at a hub, cumulated cost, and how we got there."""

    ready_at: int  # earliest onward departure (arrival + transfer, or ready at the origin)
    arrival: int
    cost: int
    connection: int  # index into the timetable, -1 for the start
    parent: Label | None


@dataclass(slots=True)
class EdgeDepartures:
    """The departures from one hub to one other, with suffix minima of their arrivals."""

    head: int
    deps: array[int] = field(default_factory=lambda: array("q"))
    arrs: array[int] = field(default_factory=lambda: array("q"))
    idxs: array[int] = field(default_factory=lambda: array("q"))
    suffix_arr: array[int] = field(default_factory=lambda: array("q"))
    suffix_idx: array[int] = field(default_factory=lambda: array("q"))


class Timetable:
    """Connections compiled for search; build once per network version and window."""

    def __init__(self, connections: Sequence[Connection], hubs: dict[str, int]) -> None:
        """`hubs` maps each hub code to its minimum connection time in minutes."""
        self.codes = sorted(hubs)
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.mct = [hubs[c] * 60 for c in self.codes]
        conns = sorted(connections, key=lambda c: (c.departure_utc, c.arrival_utc))
        self.connections: Sequence[Connection] = conns
        self.dep = array("q", (int(c.departure_utc.timestamp()) for c in conns))
        self.arr = array("q", (int(c.arrival_utc.timestamp()) for c in conns))
        self.frm = array("q", (self.index[c.origin] for c in conns))
        self.to = array("q", (self.index[c.destination] for c in conns))
        self.cost = array("q", (int(c.cost_per_kg * COST_SCALE) for c in conns))
        edges: dict[tuple[int, int], EdgeDepartures] = {}
        for k in range(len(conns)):
            u, v = self.frm[k], self.to[k]
            edge = edges.get((u, v))
            if edge is None:
                edge = edges[(u, v)] = EdgeDepartures(head=v)
            edge.deps.append(self.dep[k])
            edge.arrs.append(self.arr[k])
            edge.idxs.append(k)
        self.out: list[list[EdgeDepartures]] = [[] for _ in self.codes]
        for (u, _v), edge in sorted(edges.items()):
            best, best_k = INF, -1
            n = len(edge.deps)
            suffix_arr, suffix_idx = [0] * n, [0] * n
            for j in range(n - 1, -1, -1):
                if edge.arrs[j] < best:
                    best, best_k = edge.arrs[j], edge.idxs[j]
                suffix_arr[j], suffix_idx[j] = best, best_k
            edge.suffix_arr = array("q", suffix_arr)
            edge.suffix_idx = array("q", suffix_idx)
            self.out[u].append(edge)
        self._departures: dict[int, array[int]] = {}
        self._memo: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
        self._cache: dict[Hashable, object] = {}

    @classmethod
    def assemble(
        cls,
        codes: Sequence[str],
        mct_minutes: Sequence[int],
        columns: TimetableColumns,
        out: list[list[EdgeDepartures]],
        connections: Sequence[Connection],
    ) -> Timetable:
        """A timetable from columns already sorted by (departure, arrival) and its edges.

        This is how `adapters/network/timetable_arrays.py` builds big timetables from arrays;
        `out[u]` lists hub u's edges by head, each with its departures in order and
        the suffix minima that `earliest_arrival` bisects.
        """
        self = cls.__new__(cls)
        self.codes = list(codes)
        self.index = {code: i for i, code in enumerate(self.codes)}
        self.mct = [m * 60 for m in mct_minutes]
        self.connections = connections
        self.dep, self.arr, self.frm, self.to, self.cost = columns
        self.out = out
        self._departures = {}
        self._memo = {}
        self._cache = {}
        return self

    def cached(self, key: Hashable, make: Callable[[], T]) -> T:
        """A value derived from this timetable, computed once (e.g. a profile per origin)."""
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = make()
        return found  # type: ignore[return-value]

    # -- earliest arrival -------------------------------------------------------------
    def earliest_arrival(
        self, origin: int, ready: int, cutoff: int = INF, target: int = -1
    ) -> tuple[list[int], list[int]]:
        """Earliest arrival per hub (INF if unreachable) and the last connection used.

        With `target` >= 0 the search stops once the target is settled.
        """
        n = len(self.codes)
        best = [INF] * n
        via = [-1] * n
        best[origin] = ready
        heap = [(ready, origin)]
        mct, dep = self.mct, self.dep
        pop, push = heapq.heappop, heapq.heappush
        while heap:
            t, u = pop(heap)
            if t > best[u]:
                continue
            if u == target:
                break
            threshold = t if u == origin else t + mct[u]
            for edge in self.out[u]:
                deps = edge.deps
                i = bisect_left(deps, threshold)
                if i == len(deps):
                    continue
                a = edge.suffix_arr[i]
                v = edge.head
                if a >= best[v]:
                    continue
                k = edge.suffix_idx[i]
                if dep[k] >= cutoff:
                    a, k = _range_min(edge, i, bisect_left(deps, cutoff, i))
                    if a >= best[v]:
                        continue
                best[v] = a
                via[v] = k
                push(heap, (a, v))
        return best, via

    def departures_from(self, origin: int) -> array[int]:
        found = self._departures.get(origin)
        if found is None:
            found = array("q", (self.dep[k] for k in range(len(self.dep)) if self.frm[k] == origin))
            self._departures[origin] = found
        return found

    def profile(self, origin: int, ready: int) -> tuple[list[int], list[int]]:
        """Full single-source search from the first origin departure at or after `ready`."""
        deps = self.departures_from(origin)
        i = bisect_left(deps, ready)
        start = deps[i] if i < len(deps) else INF
        key = (origin, start)
        found = self._memo.get(key)
        if found is None:
            found = self.earliest_arrival(origin, start)
            self._memo[key] = found
        return found

    def chain(self, via: list[int], target: int) -> list[int]:
        """Connection indices from the origin to `target`, following `via` back."""
        out: list[int] = []
        k = via[target]
        while k >= 0:
            out.append(k)
            k = via[self.frm[k]]
        out.reverse()
        return out

    # -- Pareto (arrival, cost) --------------------------------------------------------
    def pareto(self, origin: int, target: int, ready: int, cutoff: int) -> list[Label]:
        """Every non-dominated (arrival at target, cost) label, sorted by arrival."""
        bags: list[list[Label]] = [[] for _ in self.codes]
        start = Label(ready, ready, 0, -1, None)
        bags[origin].append(start)
        dep, arr, frm, to, cost, mct = self.dep, self.arr, self.frm, self.to, self.cost, self.mct
        goal = bags[target]
        for k in range(bisect_left(dep, ready), len(dep)):
            d = dep[k]
            if d >= cutoff:
                break
            here = bags[frm[k]]
            if not here:
                continue
            parent = None
            for label in here:
                if label.ready_at <= d and (parent is None or label.cost < parent.cost):
                    parent = label
            if parent is None:
                continue
            a, c, v = arr[k], parent.cost + cost[k], to[k]
            if _dominated(goal, a, c) or _dominated(bags[v], a, c):
                continue
            bag = bags[v]
            bag[:] = [lb for lb in bag if not (a <= lb.arrival and c <= lb.cost)]
            bag.append(Label(a + mct[v], a, c, k, parent))
        return sorted(goal, key=lambda lb: (lb.arrival, lb.cost))


def _dominated(bag: list[Label], arrival: int, cost: int) -> bool:
    return any(lb.arrival <= arrival and lb.cost <= cost for lb in bag)


def _range_min(edge: EdgeDepartures, lo: int, hi: int) -> tuple[int, int]:
    best, best_k = INF, -1
    for j in range(lo, hi):
        if edge.arrs[j] < best:
            best, best_k = edge.arrs[j], edge.idxs[j]
    return best, best_k

"""Profile searches: one scan from an origin answers many ready times and every target.

* `pareto_snapshots`: the (arrival, cost) Connection Scan of `Timetable.pareto`, run
  once from an origin departure to every hub at once, reading the bags as the scan
  passes each requested cutoff. A ready time only matters through the first origin
  departure at or after it (earlier connections elsewhere have empty bags), and a
  cutoff only through where the scan stops, so one scan serves every query whose ready
  time maps to that departure. Dropping the target pruning changes no target's bag:
  a label it would prune is weakly dominated by a label already at the target, and so
  is everything built on it (legs take time and cost is never negative); such labels
  can only displace or out-cheapen labels that are themselves dominated, so every
  label that can still reach the target, and the parent it picks, is the same.
  `tests/unit/network/test_batch.py` checks this against `pareto` on random networks.
* `ArrivalProfile`: a forward profile Connection Scan. Every hub keeps the Pareto set
  of (origin departure, arrival): later departures and earlier arrivals are better.
  One pass over the connections gives the earliest arrival for *every* departure
  from the origin, hence for any ready time.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from ewtp.domain.network.timetable import INF, Label, Timetable

__all__ = ["ArrivalProfile", "Journey", "first_departure", "pareto_snapshots"]


def first_departure(table: Timetable, origin: int, ready: int) -> int:
    """The first departure time from `origin` at or after `ready` (INF if none)."""
    deps = table.departures_from(origin)
    i = bisect_left(deps, ready)
    return deps[i] if i < len(deps) else INF


def pareto_snapshots(
    table: Timetable, origin: int, start: int, cutoffs: Sequence[int], targets: Sequence[int]
) -> list[list[list[Label]]]:
    """For each cutoff (ascending), the Pareto bag of each target hub.

    `result[i][j]` equals `table.pareto(origin, targets[j], ready, cutoffs[i])` for every
    ready time whose first origin departure is `start` and every target other than the
    origin, label for label. Consecutive cutoffs between which no bag changed share
    one snapshot object (callers may key on its identity); treat snapshots as read-only.
    """
    dep, arr, frm, to, cost, mct = table.dep, table.arr, table.frm, table.to, table.cost, table.mct
    bags: list[list[Label]] = [[] for _ in table.codes]
    bags[origin].append(Label(start, start, 0, -1, None))
    out: list[list[list[Label]]] = []
    n_cut = len(cutoffs)
    cut = cutoffs[0] if n_cut else INF
    k = bisect_left(dep, start)
    end = len(dep)
    last: list[list[Label]] | None = None  # the latest snapshot, while no bag changed
    while k < end and len(out) < n_cut:
        d = dep[k]
        if d >= cut:
            if last is None:
                last = [list(bags[t]) for t in targets]
            out.append(last)
            cut = cutoffs[len(out)] if len(out) < n_cut else INF
            continue
        here = bags[frm[k]]
        if here:
            parent = None
            for label in here:
                if label.ready_at <= d and (parent is None or label.cost < parent.cost):
                    parent = label
            if parent is not None:
                a, c = arr[k], parent.cost + cost[k]
                bag = bags[to[k]]
                if not any(lb.arrival <= a and lb.cost <= c for lb in bag):
                    bag[:] = [lb for lb in bag if not (a <= lb.arrival and c <= lb.cost)]
                    bag.append(Label(a + mct[to[k]], a, c, k, parent))
                    last = None
        k += 1
    final = [list(bags[t]) for t in targets] if last is None else last
    out.extend(final for _ in range(n_cut - len(out)))
    return out


@dataclass(frozen=True, slots=True)
class Journey:
    """One profile entry: leave the origin at `departure`, reach the hub at `arrival`."""

    departure: int
    arrival: int
    connection: int  # the last leg, an index into the timetable
    parent: Journey | None  # the entry at the previous hub, None after the first leg

    def chain(self) -> list[int]:
        """Connection indices from the origin to this hub."""
        out: list[int] = []
        node: Journey | None = self
        while node is not None:
            out.append(node.connection)
            node = node.parent
        out.reverse()
        return out


class ArrivalProfile:
    """Earliest arrival at every hub for every departure from one origin (one pass).

    Transfer rule as in `Timetable`: the first leg leaves the origin at or after the
    ready time, any later leg at or after arrival + the hub's connection time.
    """

    def __init__(self, table: Timetable, origin: int) -> None:
        self.table = table
        self.origin = origin
        n = len(table.codes)
        arrivals: list[list[int]] = [[] for _ in range(n)]
        entries: list[list[Journey]] = [[] for _ in range(n)]
        dep, arr, frm, to, mct = table.dep, table.arr, table.frm, table.to, table.mct
        for k in range(len(dep)):
            u, v, d, a = frm[k], to[k], dep[k], arr[k]
            if v == origin:
                continue
            if u == origin:
                parent = None
                s = d
            else:
                i = bisect_right(arrivals[u], d - mct[u])
                if i == 0:
                    continue
                parent = entries[u][i - 1]  # the latest origin departure ready by d
                s = parent.departure
            here_a, here_e = arrivals[v], entries[v]
            p = bisect_right(here_a, a)
            if p and here_e[p - 1].departure >= s:
                continue  # as early an arrival from as late a departure exists
            lo, q = bisect_left(here_a, a, 0, p), p  # equal arrivals left of p leave earlier
            while q < len(here_e) and here_e[q].departure <= s:
                q += 1
            here_a[lo:q] = [a]
            here_e[lo:q] = [Journey(s, a, k, parent)]
        self._arrivals = arrivals
        self._entries = entries
        self._deps = [[e.departure for e in row] for row in entries]

    def journeys(self, hub: int) -> list[Journey]:
        """Every Pareto-optimal (departure, arrival) to `hub`, by departure."""
        return list(self._entries[hub])

    def best(self, hub: int, ready: int) -> Journey | None:
        """The earliest-arriving journey leaving at or after `ready`, ignoring any cutoff."""
        deps = self._deps[hub]
        i = bisect_left(deps, ready)
        return self._entries[hub][i] if i < len(deps) else None

    def arrivals(self, hub: int, readies: Sequence[int], cutoffs: Sequence[int]) -> list[int]:
        """`arrival(hub, r, c)` for each ready time (ascending) and its cutoff, in one merge."""
        if hub == self.origin:
            return list(readies)
        deps, entries, dep = self._deps[hub], self._entries[hub], self.table.dep
        out: list[int] = []
        i, n = 0, len(deps)
        for ready, cutoff in zip(readies, cutoffs, strict=True):
            while i < n and deps[i] < ready:
                i += 1
            if i == n:
                out.append(INF)
            elif dep[entries[i].connection] < cutoff:
                out.append(entries[i].arrival)
            else:
                out.append(self.table.earliest_arrival(self.origin, ready, cutoff, hub)[0][hub])
        return out

    def arrival(self, hub: int, ready: int, cutoff: int = INF) -> int:
        """Earliest arrival at `hub` (INF if none) using connections departing before cutoff.

        Equals `Timetable.earliest_arrival(origin, ready, cutoff)[0][hub]`; the rare
        journey whose last leg leaves after the cutoff is searched again exactly.
        """
        if hub == self.origin:
            return ready
        found = self.best(hub, ready)
        if found is None:
            return INF
        if self.table.dep[found.connection] < cutoff:
            return found.arrival
        return self.table.earliest_arrival(self.origin, ready, cutoff, hub)[0][hub]

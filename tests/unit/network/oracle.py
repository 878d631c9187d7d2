"""Independent brute-force oracles over exported connections.

* `oracle_earliest_arrival`: networkx Dijkstra over the time-expanded graph: one node
  per departure event and per arrival event; waiting edges chain a hub's departures in
  time order; an arrival links to the first departure it can catch (arrival + transfer).
* `oracle_pareto`: depth-first enumeration of every feasible leg chain.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal

import networkx as nx

from ewtp.domain.network.model import Connection


def feasible(
    chain: Sequence[Connection], origin: str, ready: datetime, mct: dict[str, int]
) -> bool:
    """Whether a leg chain obeys the transfer rule from `origin` at `ready`."""
    if not chain:
        return True
    if chain[0].origin != origin or chain[0].departure_utc < ready:
        return False
    for prev, nxt in itertools.pairwise(chain):
        if prev.destination != nxt.origin:
            return False
        if nxt.departure_utc < prev.arrival_utc + timedelta(minutes=mct[nxt.origin]):
            return False
    return True


def oracle_earliest_arrival(
    conns: Sequence[Connection],
    mct: dict[str, int],
    origin: str,
    target: str,
    ready: datetime,
    cutoff: datetime,
) -> datetime | None:
    usable = [c for c in conns if ready <= c.departure_utc < cutoff]
    graph = nx.DiGraph()
    by_hub: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for i, c in enumerate(usable):
        by_hub[c.origin].append((c.departure_utc.timestamp(), i))
    for hub in by_hub:
        by_hub[hub].sort()
        events = by_hub[hub]
        for (t1, i1), (t2, i2) in itertools.pairwise(events):
            graph.add_edge(("dep", i1), ("dep", i2), weight=t2 - t1)
    for i, c in enumerate(usable):
        dep, arr = c.departure_utc.timestamp(), c.arrival_utc.timestamp()
        graph.add_edge(("dep", i), ("arr", i), weight=arr - dep)
        events = by_hub.get(c.destination, [])
        k = bisect_left(events, (arr + mct[c.destination] * 60, -1))
        if k < len(events):
            graph.add_edge(("arr", i), ("dep", events[k][1]), weight=events[k][0] - arr)
    events = by_hub.get(origin, [])
    start = ready.timestamp()
    k = bisect_left(events, (start, -1))
    if k == len(events):
        return None
    graph.add_edge("source", ("dep", events[k][1]), weight=events[k][0] - start)
    dist = nx.single_source_dijkstra_path_length(graph, "source", weight="weight")
    best = min(
        (start + d for node, d in dist.items() if node != "source" and node[0] == "arr"
         and usable[node[1]].destination == target),
        default=None,
    )  # fmt: skip
    return None if best is None else datetime.fromtimestamp(best, tz=ready.tzinfo)


def oracle_pareto(
    conns: Sequence[Connection],
    mct: dict[str, int],
    origin: str,
    target: str,
    ready: datetime,
    cutoff: datetime,
) -> set[tuple[datetime, Decimal]]:
    """The non-dominated (arrival, cost) values of every feasible chain to `target`."""
    usable = [c for c in conns if ready <= c.departure_utc < cutoff]
    found: list[tuple[datetime, Decimal]] = []

    def walk(hub: str, free_at: datetime, cost: Decimal, arrival: datetime, depth: int) -> None:
        if hub == target:
            found.append((arrival, cost))
        if depth == 0:
            return
        for c in usable:
            if c.origin == hub and c.departure_utc >= free_at:
                nxt = c.arrival_utc + timedelta(minutes=mct[c.destination])
                walk(c.destination, nxt, cost + c.cost_per_kg, c.arrival_utc, depth - 1)

    walk(origin, ready, Decimal(0), ready, 6)
    return {
        (a, c)
        for a, c in found
        if not any((a2 <= a and c2 <= c) and (a2, c2) != (a, c) for a2, c2 in found)
    }

"""Route engine vs a networkx Dijkstra on the time-expanded graph, in one run.

Networks: the built-in `global-72h` (14-day horizon) and a synthetic one with >= 1M
connections. Figures: median single earliest-arrival query and batch throughput
(queries/s, one core). Ours is the time-dependent Dijkstra over hubs
(`Timetable.earliest_arrival`, target-pruned); "ours, memo" answers a batch through the
per-first-departure memo (`Timetable.profile`), which is how coverage and batches run.

    .venv/bin/python benchmarks/routing.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import time
from bisect import bisect_left
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import networkx as nx

from ewtp.adapters.network.files import BUILTIN_DIR, NetworkFiles, read_network_dir
from ewtp.domain.network.model import Connection, Mode, NetworkSnapshot, expand_connections
from ewtp.domain.network.timetable import INF, Timetable
from ewtp.services.network.ports import AbstractNetworkRepository, NetworkUnitOfWork, load_network
from ewtp.services.network.routing import plan_route

START = datetime(2026, 11, 23, tzinfo=UTC)


def te_graph(table: Timetable) -> tuple[nx.DiGraph, dict[int, list[tuple[int, int]]]]:
    """Time-expanded graph: departure/arrival events, waiting chains, transfer edges."""
    g = nx.DiGraph()
    by_hub: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for k in range(len(table.dep)):
        by_hub[table.frm[k]].append((table.dep[k], k))
    for events in by_hub.values():
        events.sort()
        for (t1, k1), (t2, k2) in itertools.pairwise(events):
            g.add_edge(k1, k2, weight=t2 - t1)
    for k in range(len(table.dep)):
        g.add_edge(k, ("a", k), weight=table.arr[k] - table.dep[k])
        v = table.to[k]
        events = by_hub.get(v, [])
        i = bisect_left(events, (table.arr[k] + table.mct[v], -1))
        if i < len(events):
            g.add_edge(("a", k), events[i][1], weight=events[i][0] - table.arr[k])
    return g, by_hub


def baseline_query(g: nx.DiGraph, by_hub: dict[int, list[tuple[int, int]]], table: Timetable,
                   origin: int, target: int, ready: int) -> int:  # fmt: skip
    events = by_hub.get(origin, [])
    i = bisect_left(events, (ready, -1))
    if i == len(events):
        return INF
    first_t, first_k = events[i]
    dist = nx.single_source_dijkstra_path_length(g, first_k, weight="weight")
    return min(
        (first_t + d for n, d in dist.items() if isinstance(n, tuple) and table.to[n[1]] == target),
        default=INF,
    )


def synthetic(hubs: int, per_edge_per_day: int, degree: int, days: int, seed: int) -> Timetable:
    rng = random.Random(seed)
    codes = [f"H{i:04d}" for i in range(hubs)]
    conns = []
    for u in range(hubs):
        heads = rng.sample([v for v in range(hubs) if v != u], degree)
        for v in heads:
            base = rng.randint(30, 600) * 60
            for d in range(days):
                for j in range(per_edge_per_day):
                    dep = START + timedelta(
                        days=d, seconds=j * 86400 // per_edge_per_day + rng.randint(0, 3000)
                    )
                    dur = timedelta(seconds=base + rng.randint(0, 3600))
                    conns.append(Connection("S", Mode.ROAD, codes[u], codes[v], dep, dep + dur,
                                            Decimal(1), Decimal(0), Decimal(1)))  # fmt: skip
    return Timetable(conns, {c: rng.choice([0, 30, 60]) for c in codes})


def measure(
    label: str, table: Timetable, queries: list[tuple[int, int, int]], baseline_n: int
) -> None:
    singles = []
    for o, t, r in queries:
        s = time.perf_counter()
        table.earliest_arrival(o, r, INF, t)
        singles.append(time.perf_counter() - s)
    s = time.perf_counter()
    answers = [table.earliest_arrival(o, r, INF, t)[0][t] for o, t, r in queries]
    ours_qps = len(queries) / (time.perf_counter() - s)
    s = time.perf_counter()
    memo = [table.profile(o, r)[0][t] for o, t, r in queries]
    memo_qps = len(queries) / (time.perf_counter() - s)
    assert memo == answers, "memoised answers differ"
    s = time.perf_counter()
    g, by_hub = te_graph(table)
    build = time.perf_counter() - s
    base_times = []
    for (o, t, r), ours in zip(queries[:baseline_n], answers, strict=False):
        s = time.perf_counter()
        theirs = baseline_query(g, by_hub, table, o, t, r)
        base_times.append(time.perf_counter() - s)
        assert theirs == ours, f"baseline disagrees: {(o, t, r)}"
    base_med = statistics.median(base_times)
    ours_med = statistics.median(singles)
    print(f"\n== {label}: {len(table.dep):,} connections, {len(table.codes)} hubs, "
          f"{len(queries)} queries (baseline: {len(base_times)}, graph built in {build:.1f} s)")  # fmt: skip
    print(f"{'':28}{'median ms/query':>18}{'batch queries/s':>18}")
    print(f"{'ours (TD-Dijkstra)':28}{ours_med * 1e3:>18.3f}{ours_qps:>18,.0f}")
    print(f"{'ours, memo per departure':28}{'':>18}{memo_qps:>18,.0f}")
    print(
        f"{'baseline (networkx TE)':28}{base_med * 1e3:>18.3f}{1 / statistics.mean(base_times):>18,.1f}"
    )
    print(f"ratio: median {base_med / ours_med:,.0f}x faster; batch {ours_qps * statistics.mean(base_times):,.0f}x "
          f"(memo {memo_qps * statistics.mean(base_times):,.0f}x)")  # fmt: skip


class _MemoryNetwork(AbstractNetworkRepository):
    def __init__(self) -> None:
        self.stored: NetworkSnapshot | None = None

    def version(self) -> str | None:
        return self.stored.version if self.stored else None

    def snapshot(self) -> NetworkSnapshot | None:
        return self.stored

    def replace(self, snapshot: NetworkSnapshot, now: datetime) -> None:  # noqa: ARG002
        self.stored = snapshot


class _MemoryUow(NetworkUnitOfWork):
    def __init__(self) -> None:
        self.network = _MemoryNetwork()

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        pass


def measure_use_case(files: NetworkFiles, queries: list[tuple[str, str, datetime]]) -> None:
    """The whole `plan_route` use case: Pareto set (time, cost) with legs, per query."""
    uow = _MemoryUow()
    load_network(uow, files.name, files.hubs, files.services, files.zones, START)
    plan_route(uow, *queries[0])
    s = time.perf_counter()
    for origin, dest, ready in queries:
        plan_route(uow, origin, dest, ready)
    qps = len(queries) / (time.perf_counter() - s)
    print(
        f"{'plan_route (Pareto + legs)':28}{1e3 / qps:>18.3f}{qps:>18,.0f}   (in-memory repository)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer queries, same network sizes")
    args = parser.parse_args()
    rng = random.Random(7)
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 22))
    conns = expand_connections(
        files.services, files.hubs, START.date() - timedelta(days=1), 7 + 14 + 3
    )
    table = Timetable(conns, {h.code: h.min_connection_minutes for h in files.hubs})
    n = len(table.codes)
    queries = [(rng.randrange(n), rng.randrange(n), int((START + timedelta(minutes=rng.randrange(7 * 1440))).timestamp()))
               for _ in range(2000 if args.quick else 20000)]  # fmt: skip
    queries = [q for q in queries if q[0] != q[1]]
    measure("built-in global-72h", table, queries, 200)
    zones = sorted({z.country for z in files.zones})
    origins = ["HGH", "CGO", "HKG", "KUL", "DXB", "LGG"]
    measure_use_case(
        files,
        [(rng.choice(origins), rng.choice(zones), START + timedelta(minutes=rng.randrange(7 * 1440)))
         for _ in range(500 if args.quick else 3000)],
    )  # fmt: skip
    big = synthetic(hubs=300, per_edge_per_day=48, degree=5, days=14, seed=11)
    m = len(big.codes)
    big_q = [(rng.randrange(m), rng.randrange(m), int((START + timedelta(minutes=rng.randrange(3 * 1440))).timestamp()))
             for _ in range(200 if args.quick else 1000)]  # fmt: skip
    big_q = [q for q in big_q if q[0] != q[1]]
    measure("synthetic", big, big_q, 3 if args.quick else 5)


if __name__ == "__main__":
    main()

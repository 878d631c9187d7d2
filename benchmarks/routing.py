"""Route engine at network scale, each figure beside a baseline measured in the same run.

1. Built-in `global-72h`, a quoting day of 10,000 mixed queries (origins weighted to
   the Chinese eHubs, every zone, ready times spread over the day, to the second):
   * full answers: the `ewtp route batch` work from CSV text to JSON lines (Pareto
     options with legs), in process, beside the per-query path it replaced, and the
     real CLI in a subprocess on a seeded SQLite database minus its start-up;
   * kernels: earliest arrival only, by the TD-Dijkstra, by the one-pass profile,
     and by a plain connection scan written here as the baseline;
   * pyraptor (PyPI) on our GTFS export, in its own venv under var/bench/ (it pins
     pandas<2): its earliest arrivals against ours, and its queries/s.
2. Synthetic 1,008,000 connections (300 hubs, 5 edges each, 48 departures per edge and
   day, 14 days) compiled from numpy arrays: build time, peak memory, p50 query.

    .venv/bin/python benchmarks/routing.py [--quick] [--no-pyraptor] [--object-build]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from bisect import bisect_left
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np

from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.adapters.network.gtfs_files import write_gtfs
from ewtp.adapters.network.timetable_arrays import compile_arrays
from ewtp.cli.commands.network import parse_aware
from ewtp.domain.network.model import Connection, Mode, NetworkSnapshot
from ewtp.domain.network.profile import ArrivalProfile
from ewtp.domain.network.route_json import PlanJsonWriter
from ewtp.domain.network.routing import plan_to_json
from ewtp.domain.network.timetable import INF, Timetable
from ewtp.services.network.batch import RouteQuery, plan_routes
from ewtp.services.network.gtfs_export import export_gtfs
from ewtp.services.network.ports import AbstractNetworkRepository, NetworkUnitOfWork, load_network
from ewtp.services.network.routing import compiled_network, plan_route, resolve_target

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
ORIGINS = ["HGH"] * 6 + ["CGO"] * 2 + ["HKG"] * 2 + ["KUL", "DXB", "LGG", "SVO"]


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


def quoting_day(zones: list[str], n: int, day: datetime, seed: int) -> str:
    rng = random.Random(seed)
    lines = ["origin,destination,ready_utc"]
    for _ in range(n):
        ready = day + timedelta(seconds=rng.randrange(86400))
        lines.append(f"{rng.choice(ORIGINS)},{rng.choice(zones)},{ready:%Y-%m-%dT%H:%M:%SZ}")
    return "\n".join(lines) + "\n"


def batch_jsonl(uow: NetworkUnitOfWork, text: str) -> str:
    """What `ewtp route batch` does between reading the file and writing stdout."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    queries = [RouteQuery(o, d, parse_aware(r, "ready_utc")) for o, d, r in reader]
    writer = PlanJsonWriter()
    return "".join(writer.dumps(p) + "\n" for p in plan_routes(uow, queries))


def per_query_jsonl(uow: NetworkUnitOfWork, text: str) -> str:
    """The per-query path the batch command used before: plan_route and json.dumps."""
    reader = csv.reader(io.StringIO(text))
    next(reader)
    out = []
    for o, d, r in reader:
        out.append(json.dumps(plan_to_json(plan_route(uow, o, d, parse_aware(r, "ready_utc")))))
    return "".join(line + "\n" for line in out)


def rate(n: int, fn: Callable[[], object]) -> tuple[float, object]:
    """Queries per CPU second of this process: one core, whatever else the machine runs."""
    began = time.process_time()
    result = fn()
    return n / (time.process_time() - began), result


def plain_scan(table: Timetable, o: int, g: int, ready: int, cutoff: int) -> int:
    """A textbook earliest-arrival Connection Scan, the baseline kernel."""
    dep, arr, frm, to, mct = table.dep, table.arr, table.frm, table.to, table.mct
    best = [INF] * len(table.codes)
    best[o] = ready
    for k in range(bisect_left(dep, ready), len(dep)):
        d = dep[k]
        if d >= cutoff or d >= best[g]:
            break
        u = frm[k]
        if (best[u] if u == o else best[u] + mct[u]) <= d and arr[k] < best[to[k]]:
            best[to[k]] = arr[k]
    return best[g]


def cli_subprocess(csv_text: str, n: int) -> float | None:
    """Queries per CPU second of the real `ewtp route batch` on a seeded SQLite, minus the
    CPU time of the same command on a one-row file (start-up, imports, the first query)."""
    ewtp = Path(sys.executable).parent / "ewtp"
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "EWTP_DATABASE_URL": f"sqlite:///{tmp}/b.db", "EWTP_VAR_DIR": tmp}
        for args in (["db", "upgrade"], ["seed"]):
            subprocess.run([str(ewtp), *args], env=env, check=True, capture_output=True)
        big, one = Path(tmp, "big.csv"), Path(tmp, "one.csv")
        big.write_text(csv_text)
        one.write_text("\n".join(csv_text.splitlines()[:2]) + "\n")
        took = []
        for path in (one, big):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run([str(ewtp), "route", "batch", str(path)], env=env, check=True,
                           capture_output=True)  # fmt: skip
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            took.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return (n - 1) / (took[1] - took[0]) if took[1] > took[0] else None


def pyraptor_venv() -> Path | None:
    venv = BENCH_VAR / "pyraptor-venv"
    python = venv / "bin" / "python"
    marker = venv / ".ready"
    if not marker.exists():
        print("  (creating the pyraptor venv under var/bench/, once)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        done = subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "pyraptor==1.3.10", "numpy<2", "attrs"],
            capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            print(f"  pyraptor venv failed: {done.stderr.strip().splitlines()[-1:]}")
            return None
        marker.touch()
    return python


def measure_pyraptor(uow: NetworkUnitOfWork, table: Timetable, samples: list[tuple[int, int, int]]) -> None:  # fmt: skip
    python = pyraptor_venv()
    if python is None:
        return
    # The timetable's window: local dates from the Sunday before the week, 7 + 14 + 2 days.
    folder = BENCH_VAR / "gtfs-global-72h"
    write_gtfs(folder, export_gtfs(uow, MONDAY.date() - timedelta(days=1), 23))
    day0 = MONDAY.date() - timedelta(days=2)
    epoch0 = int(datetime.combine(day0, datetime.min.time(), tzinfo=UTC).timestamp())
    queries = [[table.codes[o], table.codes[g], r - epoch0] for o, g, r in samples]
    done = subprocess.run(
        [str(python), str(Path(__file__).with_name("pyraptor_runner.py")), str(folder), day0.isoformat()],
        input=json.dumps(queries), capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        print(f"  pyraptor failed: {done.stderr.strip().splitlines()[-3:]}")
        return
    found = json.loads(done.stdout)
    theirs = [None if a is None or a >= 2**31 - 1 else a + epoch0 for a in found["answers"]]
    began = time.perf_counter()
    ours = [table.earliest_arrival(o, r, INF, g)[0][g] for o, g, r in samples]
    ours_rate = len(samples) / (time.perf_counter() - began)
    ours_n = [None if a >= INF else a for a in ours]
    both = [(a, b) for a, b in zip(ours_n, theirs, strict=True) if a is not None and b is not None]
    agree = sum(1 for a, b in both if a == b)
    print(f"{'pyraptor 1.3.10 (RAPTOR)':34}{len(samples) / found['seconds']:>14,.1f} q/s   "
          f"on {found['trips']} GTFS trips; ours on the same {len(samples)}: {ours_rate:,.0f} q/s")  # fmt: skip
    print(f"  earliest arrivals: agree on {agree} of {len(both)} both answer "
          f"(ours answer {sum(a is not None for a in ours_n)}, pyraptor {sum(b is not None for b in theirs)})")  # fmt: skip


def builtin(args: argparse.Namespace) -> None:
    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 22))
    uow = _MemoryUow()
    load_network(uow, files.name, files.hubs, files.services, files.zones, MONDAY)
    zones = sorted(z.country for z in files.zones)
    n = 2_000 if args.quick else 10_000
    batch_jsonl(uow, quoting_day(zones, 200, MONDAY, seed=1))  # compiles the week once
    text = quoting_day(zones, n, MONDAY + timedelta(days=2), seed=2)
    batch_rate, lines = rate(n, lambda: batch_jsonl(uow, text))
    m = 1_000 if args.quick else 3_000
    head = "".join(line + "\n" for line in text.splitlines()[: m + 1])
    single_rate, single = rate(m, lambda: per_query_jsonl(uow, head))
    assert isinstance(lines, str)
    assert lines.splitlines()[:m] == str(single).splitlines(), "batch differs from plan_route"
    table = compiled_network(uow).timetable(MONDAY, 14)
    print(f"\n== built-in global-72h: {len(table.dep):,} connections, {len(table.codes)} hubs; "
          f"a quoting day of {n:,} queries")  # fmt: skip
    print(f"{'full answers (Pareto options, legs)':34}{'queries/s':>14}")
    print(f"{'  ewtp route batch, in process':34}{batch_rate:>14,.0f}")
    print(f"{'  per-query plan_route + json':34}{single_rate:>14,.0f}   "
          f"(same text on the first {m:,}; batch {batch_rate / single_rate:.1f}x)")  # fmt: skip
    cli = None if args.quick else cli_subprocess(text, n)
    if cli is not None:
        print(f"{'  ewtp route batch, real CLI':34}{cli:>14,.0f}   (SQLite, minus start-up)")
    net = compiled_network(uow)
    rows = [line.split(",") for line in text.splitlines()[1:]]
    samples = []
    for o, z, r in rows:
        ready = int(parse_aware(r, "ready_utc").timestamp())
        samples.append((table.index[o], table.index[resolve_target(net, z).hub], ready))
    samples = [s for s in samples if s[0] != s[1]]
    span = 14 * 86400
    kernel_rate, kernel = rate(len(samples), lambda: [
        table.earliest_arrival(o, r, r + span, g)[0][g] for o, g, r in samples])  # fmt: skip

    def by_profiles() -> list[int]:
        profiles = {o: ArrivalProfile(table, o) for o in {s[0] for s in samples}}
        return [profiles[o].arrival(g, r, r + span) for o, g, r in samples]

    profile_rate, profiled = rate(len(samples), by_profiles)
    plain_rate, plain = rate(len(samples), lambda: [
        plain_scan(table, o, g, r, r + span) for o, g, r in samples])  # fmt: skip
    assert kernel == plain == profiled, "kernels disagree"
    print(f"{'earliest arrival only (kernels)':34}{'queries/s':>14}")
    print(f"{'  TD-Dijkstra, target-pruned':34}{kernel_rate:>14,.0f}")
    print(f"{'  one-pass profile per origin':34}{profile_rate:>14,.0f}   (profile build included)")
    print(f"{'  plain connection scan (baseline)':34}{plain_rate:>14,.0f}   "
          f"(full answers {batch_rate / plain_rate:.2f}x the plain scan's rate)")  # fmt: skip
    if not args.no_pyraptor:
        rng = random.Random(3)
        measure_pyraptor(uow, table, rng.sample(samples, 10 if args.quick else 40))


def synthetic_arrays(seed: int) -> tuple[list[str], list[int], tuple[np.ndarray, ...]]:  # type: ignore[type-arg]
    rng = np.random.default_rng(seed)
    hubs, degree, per_day, days = 300, 5, 48, 14
    heads = np.array([rng.choice([v for v in range(hubs) if v != u], degree, replace=False)
                      for u in range(hubs)])  # fmt: skip
    frm_e, to_e = np.repeat(np.arange(hubs), degree), heads.ravel()
    slots = np.arange(days * per_day)
    t0 = int(MONDAY.timestamp())
    dep = (t0 + (slots // per_day) * 86400 + (slots % per_day) * (86400 // per_day))[None, :]
    dep = dep + rng.integers(0, 3000, (len(frm_e), len(slots)))
    base = rng.integers(30, 600, len(frm_e))[:, None] * 60
    arr = dep + base + rng.integers(0, 3600, dep.shape)
    frm, to = np.repeat(frm_e, len(slots)), np.repeat(to_e, len(slots))
    cost = np.full(frm.shape, 10_000)
    mct = [int(x) for x in rng.choice([0, 30, 60], hubs)]
    return [f"H{i:04d}" for i in range(hubs)], mct, (dep.ravel(), arr.ravel(), frm, to, cost)


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def synthetic(args: argparse.Namespace) -> None:
    codes, mct, columns = synthetic_arrays(11)
    began, cpu = time.perf_counter(), time.process_time()
    table = compile_arrays(codes, mct, *columns)
    build, build_cpu = time.perf_counter() - began, time.process_time() - cpu
    del table
    tracemalloc.start()
    table = compile_arrays(codes, mct, *columns)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rng = random.Random(5)
    t0 = int(MONDAY.timestamp())
    queries = [(rng.randrange(300), rng.randrange(300), t0 + rng.randrange(3 * 86400))
               for _ in range(100 if args.quick else 400)]  # fmt: skip
    times, cpu_times = [], []
    for o, g, r in queries:
        began, cpu = time.perf_counter(), time.process_time()
        table.earliest_arrival(o, r, INF, g)
        times.append(time.perf_counter() - began)
        cpu_times.append(time.process_time() - cpu)
    plain_times = []
    for o, g, r in queries[:40]:
        began = time.process_time()
        plain_scan(table, o, g, r, INF)
        plain_times.append(time.process_time() - began)
    print(
        f"\n== synthetic: {len(table.dep):,} connections, {len(codes)} hubs, {len(queries)} queries"
    )
    print(f"{'build from numpy arrays':34}{build:>10.2f} s   ({build_cpu:.2f} s CPU); "
          f"peak {peak / 2**20:,.0f} MiB traced, max RSS {_max_rss_mib():,.0f} MiB "
          f"(the input arrays: {sum(c.nbytes for c in columns) / 2**20:,.0f} MiB)")  # fmt: skip
    print(f"{'earliest arrival p50':34}{statistics.median(times) * 1e3:>10.3f} ms   "
          f"({statistics.median(cpu_times) * 1e3:.3f} ms CPU; plain connection scan p50 "
          f"{statistics.median(plain_times) * 1e3:.1f} ms CPU)")  # fmt: skip
    if args.object_build:
        dep, arr, frm, to, _cost = columns
        began = time.perf_counter()
        conns = [Connection("S", Mode.ROAD, codes[int(frm[i])], codes[int(to[i])],
                            datetime.fromtimestamp(int(dep[i]), UTC), datetime.fromtimestamp(int(arr[i]), UTC),
                            Decimal(1), Decimal(0), Decimal(1)) for i in range(len(dep))]  # fmt: skip
        made = time.perf_counter() - began
        began = time.perf_counter()
        Timetable(conns, dict(zip(codes, mct, strict=True)))
        print(f"{'build from Connection objects':34}{time.perf_counter() - began:>10.2f} s   "
              f"(+ {made:.1f} s to make the objects)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer queries, no CLI subprocess")
    parser.add_argument("--no-pyraptor", action="store_true", help="skip the pyraptor peer")
    parser.add_argument("--object-build", action="store_true",
                        help="also build the 1M timetable from Connection objects (slow)")  # fmt: skip
    args = parser.parse_args()
    builtin(args)
    synthetic(args)


if __name__ == "__main__":
    main()

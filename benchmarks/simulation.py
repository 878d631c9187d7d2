"""Peak-day simulation speed and agreement, beside a naive SimPy model in the same run.

1. A three-station tandem (M/M/1 -> M/M/2 -> M/M/1): our engine and a naive SimPy model
   (one process per customer, `simpy.Resource` per station), 10 replications each; mean
   waits with 95% intervals side by side, and customers simulated per second.
2. The shipped 11.11 Liège day (about 870,000 parcels reach the hub; the flights' kg and
   m3 cut the million offered), one replication on one core: our wall time, beside the
   naive model's parcel-per-process version of the same stations on a 5% day, extrapolated
   linearly and said so.

Run: .venv/bin/python benchmarks/simulation.py [--fraction 0.05]
"""

from __future__ import annotations

import argparse
import math
import time
import tomllib

import numpy as np
import simpy

from ewtp.adapters.simulation.files import SHIPPED
from ewtp.adapters.simulation.hub_model import HubDay
from ewtp.adapters.simulation.network_model import run_network
from ewtp.adapters.simulation.runners import InlineRunner
from ewtp.adapters.simulation.simulator import SimpySimulator
from ewtp.domain.simulation.parse import parse_scenario
from ewtp.domain.simulation.scenario import NetworkScenario
from ewtp.domain.simulation.stats import mean_interval
from ewtp.services.simulation.run import prepare_scenario, run_simulation

TANDEM = {
    "scenario": {"kind": "network", "name": "tandem", "horizon_hours": 200},
    "stations": [
        {"name": "S1", "servers": 1, "service": {"dist": "exponential", "mean_minutes": 0.8}},
        {"name": "S2", "servers": 2, "service": {"dist": "exponential", "mean_minutes": 1.5}},
        {"name": "S3", "servers": 1, "service": {"dist": "exponential", "mean_minutes": 0.7}},
    ],
    "arrivals": [{"station": "S1", "rate_per_hour": 60.0}],
    "routes": [
        {"from": "S1", "to": "S2", "probability": 1.0},
        {"from": "S2", "to": "S3", "probability": 1.0},
    ],
}


def naive_tandem(seed: int, minutes: float) -> tuple[dict[str, float], int]:
    """One SimPy process per customer, a Resource per station."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    stations = [
        ("S1", simpy.Resource(env, 1), 0.8),
        ("S2", simpy.Resource(env, 2), 1.5),
        ("S3", simpy.Resource(env, 1), 0.7),
    ]
    waits: dict[str, list[float]] = {name: [] for name, _, _ in stations}
    count = [0]

    def customer() -> object:
        for name, resource, mean in stations:
            arrived = env.now
            with resource.request() as req:
                yield req
                waits[name].append(env.now - arrived)
                yield env.timeout(float(rng.exponential(mean)))

    def source() -> object:
        while True:
            yield env.timeout(float(rng.exponential(1.0)))
            count[0] += 1
            env.process(customer())

    env.process(source())
    env.run(until=minutes)
    return {k: math.fsum(v) / len(v) for k, v in waits.items()}, count[0]


def naive_hub(day: HubDay, fraction: float, seed: int) -> tuple[int, float]:
    """The hub's stations parcel by parcel: a process per ULD, then one per parcel."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    st = {s.name: s for s in day.stations}
    breakdown = simpy.Resource(env, max(st["breakdown"].servers_by_hour))
    induction = simpy.Resource(env, max(st["induction"].servers_by_hour))
    sorter = simpy.Resource(env, st["sorter"].servers)
    done = [0]

    def parcel() -> object:
        with induction.request() as req:
            yield req
            yield env.timeout(st["induction"].per_item)
        with sorter.request() as req:
            yield req
            yield env.timeout(st["sorter"].per_item)
        yield env.timeout(st["transit"].service.mean)
        done[0] += 1

    def uld(minute: float, parcels: int) -> object:
        yield env.timeout(minute)
        with breakdown.request() as req:
            yield req
            yield env.timeout(float(rng.lognormal(math.log(st["breakdown"].service.mean), 0.25)))
        for _ in range(parcels):
            env.process(parcel())

    total = 0
    for u in day.ulds:
        n = max(1, round(u.parcels * fraction))
        total += n
        env.process(uld(u.minute, n))
    started = time.perf_counter()
    env.run(until=day.scenario.horizon_hours * 60)
    return total, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--fraction", type=float, default=0.05, help="Share of the day the naive model runs."
    )
    args = parser.parse_args()

    scenario = parse_scenario(TANDEM)
    assert isinstance(scenario, NetworkScenario)
    t0 = time.perf_counter()
    ours = [run_network(scenario, 1, i) for i in range(10)]
    ours_s = time.perf_counter() - t0
    customers = sum(r.parcels_in for r in ours)
    t0 = time.perf_counter()
    naive = [naive_tandem(100 + i, 200 * 60) for i in range(10)]
    naive_s = time.perf_counter() - t0
    naive_customers = sum(n for _, n in naive)
    print("== tandem M/M/1 -> M/M/2 -> M/M/1, 10 replications x 200 h")
    print(
        f"{'station':8} {'ours: mean wait (95% CI)':32} {'naive SimPy: mean wait (95% CI)':34} agree"
    )
    for name in ("S1", "S2", "S3"):
        a = mean_interval([r.stages[name].values["mean_wait_minutes"] for r in ours])
        b = mean_interval([w[name] for w, _ in naive])
        agree = abs(a.mean - b.mean) <= math.hypot(a.half_width, b.half_width) * 1.5
        print(
            f"{name:8} {a.mean:7.3f} [{a.low:.3f}, {a.high:.3f}]{'':12} {b.mean:7.3f} [{b.low:.3f}, {b.high:.3f}]{'':14} {agree}"
        )
    print(f"customers/s: ours {customers / ours_s:,.0f}, naive {naive_customers / naive_s:,.0f} "
          f"(ratio {customers / ours_s / (naive_customers / naive_s):.1f}x)")  # fmt: skip

    doc = tomllib.loads((SHIPPED / "liege-11-11.toml").read_text(encoding="utf-8"))
    peak = prepare_scenario(doc, [])
    simulator = SimpySimulator()
    t0 = time.perf_counter()
    prepared = simulator.prepare(peak)
    prep_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    result = run_simulation(peak, simulator, InlineRunner(), 1, 7)
    run_s = time.perf_counter() - t0
    parcels = result.replications[0].parcels_in
    assert isinstance(prepared, HubDay)
    n, naive_run = naive_hub(prepared, args.fraction, 7)
    extrapolated = naive_run * parcels / n
    print("== Liège 11.11 day, one replication, one core")
    print(f"ours:  {parcels:,} parcels in {run_s:.1f} s (prepare {prep_s:.1f} s); target <= 60 s")
    print(f"naive: {n:,} parcels ({args.fraction:.0%} of the day) in {naive_run:.1f} s -> "
          f"{extrapolated:.0f} s for the whole day (linear extrapolation); ratio {extrapolated / run_s:.0f}x")  # fmt: skip
    print(f"bottleneck: {result.summary.bottleneck}; missed planned truck: "
          f"{result.summary.totals['missed_planned_truck'].mean:,.0f}; within 72 h: "
          f"{result.summary.totals['share_within_72h'].mean:.1%}")  # fmt: skip


if __name__ == "__main__":
    main()

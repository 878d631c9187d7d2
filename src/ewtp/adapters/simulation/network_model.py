"""One replication of a generic queueing network, and the KPIs every model reports.

Routing is probabilistic (a job leaving a station draws its next one; what is left of
the probabilities leaves the system). Each replication's generator is seeded from
(seed, index), so replications are independent and a seed reproduces them.
"""

from __future__ import annotations

import numpy as np

from ewtp.adapters.simulation.engine import Engine, Job
from ewtp.domain.simulation.results import Replication, StageKpis
from ewtp.domain.simulation.scenario import NetworkScenario
from ewtp.domain.simulation.stats import nearest_rank

__all__ = ["generator", "replication_of", "run_network"]


def generator(seed: int, index: int) -> np.random.Generator:
    """The replication's own stream, derived from the seed and its index."""
    return np.random.default_rng(np.random.SeedSequence([seed, index]))


def _weighted_p95(waits: list[float], weights: list[int]) -> float:
    if not waits:
        return 0.0
    order = np.argsort(np.asarray(waits), kind="stable")
    w = np.asarray(weights, dtype=np.int64)[order]
    cum = np.cumsum(w)
    rank = int(np.ceil(0.95 * cum[-1]))
    return float(np.asarray(waits)[order][int(np.searchsorted(cum, rank))])


def replication_of(
    engine: Engine, index: int, horizon: float, extra: dict[str, float]
) -> Replication:
    """The KPIs of a finished engine run over [warm-up, horizon] minutes."""
    span = max(horizon - engine.warmup, 1e-9)
    stages = {}
    for name, node in engine.nodes.items():
        s = node.stats
        served = s.sojourn_count
        weights = sum(s.wait_weights)
        values = {
            "arrived": float(s.arrived),
            "served": float(s.served),
            "mean_wait_minutes": s.wait_sum / weights if weights else 0.0,
            "p95_wait_minutes": _weighted_p95(s.waits, s.wait_weights)
            if len(s.waits) > 1
            else nearest_rank(sorted(s.waits), 0.95),
            "max_wait_minutes": max(s.waits, default=0.0),
            "mean_queue": s.queue_area / span,
            "max_queue": float(s.max_queue),
            "utilization": s.busy_area / s.capacity_area if s.capacity_area > 0 else 0.0,
            "mean_in_station": s.system_area / span,
            "arrival_rate_per_minute": s.arrived / span,
            "mean_sojourn_minutes": s.sojourn_sum / served if served else 0.0,
        }
        utilization = tuple(
            b / c if c > 0 else 0.0 for b, c in zip(s.hourly_busy, s.hourly_capacity, strict=False)
        )
        stages[name] = StageKpis(
            values, tuple(s.hourly_arrived), tuple(s.hourly_queue), utilization
        )
    hours = int(np.ceil(horizon / 60))
    throughput = [0] * hours
    for minute, size in engine.exit_log:
        throughput[min(int(minute // 60), hours - 1)] += size
    return Replication(
        index, engine.entered, engine.exited, engine.in_system(), stages, tuple(throughput), extra
    )


def run_network(scenario: NetworkScenario, seed: int, index: int) -> Replication:
    rng = generator(seed, index)
    routes: dict[str, list[tuple[float, str]]] = {}
    for r in scenario.routes:
        table = routes.setdefault(r.source, [])
        table.append(((table[-1][0] if table else 0.0) + r.probability, r.target))

    def router(job: Job, station: str, _now: float) -> list[tuple[str | None, Job]]:
        table = routes.get(station)
        if not table:
            return [(None, job)]
        u = float(rng.random())
        for cum, target in table:
            if u < cum:
                return [(target, job)]
        return [(None, job)]

    horizon = scenario.horizon_hours * 60
    engine = Engine(scenario.stations, rng, router, warmup=scenario.warmup_hours * 60)
    for arrival in scenario.arrivals:
        if arrival.rate_per_hour:
            engine.poisson(arrival.station, arrival.rate_per_hour, horizon)
        for minute, count in arrival.batches:
            for _ in range(count):
                engine.at(minute, arrival.station, Job(1, minute))
    engine.run(horizon)
    return replication_of(engine, index, horizon, {})

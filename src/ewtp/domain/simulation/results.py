"""What a run produces: per-replication KPIs, and their means with 95% intervals.

A replication's KPIs are plain numbers; `summarize` puts a Student-t interval on each
over the replications, names the bottleneck (the stage where most parcels wait: the
largest time-average queue, utilization breaking ties) and keeps the hourly series of every
replication's mean. `compare` gives the paired difference of two runs, KPI by KPI.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ewtp.domain.simulation.stats import Interval, mean_interval

__all__ = ["Replication", "RunSummary", "StageKpis", "compare", "summarize"]

STAGE_KPIS = (
    "arrived",
    "served",
    "mean_wait_minutes",
    "p95_wait_minutes",
    "max_wait_minutes",
    "mean_queue",
    "max_queue",
    "utilization",
    "mean_in_station",
    "arrival_rate_per_minute",
    "mean_sojourn_minutes",
)


@dataclass(frozen=True, slots=True)
class StageKpis:
    values: Mapping[str, float]
    hourly_arrived: tuple[int, ...] = ()
    hourly_queue: tuple[int, ...] = ()
    hourly_utilization: tuple[float, ...] = ()


@dataclass(frozen=True, slots=True)
class Replication:
    index: int
    parcels_in: int
    parcels_out: int
    in_system: int
    stages: Mapping[str, StageKpis]
    throughput_per_hour: tuple[int, ...]
    extra: Mapping[str, float] = field(default_factory=dict)  # hub: missed trucks, 72 h share


@dataclass(frozen=True, slots=True)
class RunSummary:
    scenario: str
    seed: int
    replications: int
    totals: Mapping[str, Interval]
    stages: Mapping[str, Mapping[str, Interval]]
    bottleneck: str
    hourly: Mapping[str, Sequence[float]]  # series name -> mean per hour

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "seed": self.seed,
            "replications": self.replications,
            "bottleneck": self.bottleneck,
            "totals": {k: v.as_dict() for k, v in self.totals.items()},
            "stages": {
                name: {k: v.as_dict() for k, v in kpis.items()}
                for name, kpis in self.stages.items()
            },
            "hourly": {k: list(v) for k, v in self.hourly.items()},
        }


def _mean_series(series: Sequence[Sequence[float]]) -> list[float]:
    length = max((len(s) for s in series), default=0)
    out = []
    for h in range(length):
        values = [s[h] if h < len(s) else 0.0 for s in series]
        out.append(math.fsum(values) / len(values))
    return out


def summarize(scenario: str, seed: int, reps: Sequence[Replication]) -> RunSummary:
    totals: dict[str, Interval] = {
        "parcels_in": mean_interval([r.parcels_in for r in reps]),
        "parcels_out": mean_interval([r.parcels_out for r in reps]),
        "in_system": mean_interval([r.in_system for r in reps]),
    }
    for key in sorted({k for r in reps for k in r.extra}):
        totals[key] = mean_interval([r.extra.get(key, 0.0) for r in reps])
    names = list(reps[0].stages) if reps else []
    stages = {
        name: {k: mean_interval([r.stages[name].values[k] for r in reps]) for k in STAGE_KPIS}
        for name in names
    }
    bottleneck = max(
        names,
        key=lambda n: (stages[n]["mean_queue"].mean, stages[n]["utilization"].mean),
        default="",
    )
    hourly: dict[str, list[float]] = {
        "throughput": _mean_series([[float(x) for x in r.throughput_per_hour] for r in reps])
    }
    for name in names:
        hourly[f"{name}.queue"] = _mean_series(
            [[float(x) for x in r.stages[name].hourly_queue] for r in reps]
        )
        hourly[f"{name}.utilization"] = _mean_series(
            [list(r.stages[name].hourly_utilization) for r in reps]
        )
        hourly[f"{name}.arrived"] = _mean_series(
            [[float(x) for x in r.stages[name].hourly_arrived] for r in reps]
        )
    return RunSummary(scenario, seed, len(reps), totals, stages, bottleneck, hourly)


def compare(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[dict[str, Any]]:
    """B minus A for every total and stage KPI both runs have, with both intervals."""
    rows = []

    def row(name: str, x: Mapping[str, float], y: Mapping[str, float]) -> None:
        half = math.sqrt(((x["high"] - x["low"]) / 2) ** 2 + ((y["high"] - y["low"]) / 2) ** 2)
        diff = y["mean"] - x["mean"]
        rows.append(
            {
                "kpi": name,
                "a": x["mean"],
                "b": y["mean"],
                "difference": diff,
                "low": diff - half,
                "high": diff + half,
                "significant": abs(diff) > half,
            }
        )

    for key, x in a.get("totals", {}).items():
        if key in b.get("totals", {}):
            row(key, x, b["totals"][key])
    for stage, kpis in a.get("stages", {}).items():
        for key, x in kpis.items():
            y = b.get("stages", {}).get(stage, {}).get(key)
            if y is not None:
                row(f"{stage}.{key}", x, y)
    return rows

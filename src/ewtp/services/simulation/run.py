"""`run_simulation`: a scenario's replications and their summary with 95% intervals.

The same seed gives the same summary byte for byte: replication `i` draws from a stream
derived from (seed, i) only, and results are summarized in index order whatever order
the workers finish in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ewtp.domain.errors import InvalidInput
from ewtp.domain.simulation.parse import apply_sets, parse_scenario
from ewtp.domain.simulation.results import Replication, RunSummary, compare, summarize
from ewtp.domain.simulation.scenario import HubScenario, NetworkScenario
from ewtp.services.simulation.ports import AbstractReplicationRunner, AbstractSimulator, Progress

__all__ = ["SimulationResult", "compare_runs", "prepare_scenario", "run_simulation"]

MAX_REPLICATIONS = 1000


@dataclass(frozen=True, slots=True)
class SimulationResult:
    scenario: NetworkScenario | HubScenario
    summary: RunSummary
    replications: tuple[Replication, ...]


def prepare_scenario(doc: Mapping[str, Any], sets: list[str]) -> NetworkScenario | HubScenario:
    """The validated scenario of a document with `--set` pairs applied."""
    return parse_scenario(apply_sets(dict(doc), sets))


def _quiet(_done: int, _total: int) -> None:
    return None


def run_simulation(
    scenario: NetworkScenario | HubScenario,
    simulator: AbstractSimulator,
    runner: AbstractReplicationRunner,
    replications: int,
    seed: int,
    progress: Progress | None = None,
) -> SimulationResult:
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise InvalidInput(f"must be between 1 and {MAX_REPLICATIONS}", field="replications")
    if seed < 0:
        raise InvalidInput("must not be negative", field="seed")
    prepared = simulator.prepare(scenario)
    reps = runner.run(simulator, prepared, seed, range(replications), progress or _quiet)
    reps = sorted(reps, key=lambda r: r.index)
    return SimulationResult(scenario, summarize(scenario.name, seed, reps), tuple(reps))


def compare_runs(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[dict[str, Any]]:
    """B minus A, KPI by KPI, with an interval for each difference."""
    for name, run in (("A", a), ("B", b)):
        if "totals" not in run or "stages" not in run:
            raise InvalidInput("not a simulation result (no totals or stages)", field=name)
    return compare(a, b)

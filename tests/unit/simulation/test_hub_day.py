"""The hub's day: conservation, reproducibility, capacity what-ifs and bad input."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest

from ewtp.adapters.simulation.files import SHIPPED
from ewtp.adapters.simulation.runners import InlineRunner
from ewtp.adapters.simulation.simulator import SimpySimulator
from ewtp.domain.errors import InvalidInput
from ewtp.domain.simulation.stats import mean_interval
from ewtp.services.simulation.run import prepare_scenario, run_simulation


def peak() -> dict[str, Any]:
    return tomllib.loads((SHIPPED / "liege-11-11.toml").read_text(encoding="utf-8"))


def small(extra: list[str] | None = None) -> Any:
    return prepare_scenario(peak(), ["demand.multiplier=0.25", *(extra or [])])


def test_parcels_are_conserved_through_the_hub() -> None:
    result = run_simulation(small(), SimpySimulator(), InlineRunner(), 1, 3)
    rep = result.replications[0]
    assert rep.parcels_in > 10_000
    assert rep.parcels_in == rep.parcels_out + rep.in_system
    # every parcel that arrived passed breakdown, induction and the sorter
    for stage in ("breakdown", "induction", "sorter"):
        assert rep.stages[stage].values["arrived"] == rep.parcels_in


def test_the_same_seed_gives_byte_identical_kpis() -> None:
    runs = [run_simulation(small(), SimpySimulator(), InlineRunner(), 2, 42) for _ in range(2)]
    a, b = (json.dumps(r.summary.as_dict(), sort_keys=True) for r in runs)
    assert a == b
    other = run_simulation(small(), SimpySimulator(), InlineRunner(), 2, 43)
    assert json.dumps(other.summary.as_dict(), sort_keys=True) != a


def test_more_sorter_capacity_does_not_increase_missed_trucks() -> None:
    """Paired over 10 replications with common random numbers (same seeds)."""
    base = run_simulation(small(), SimpySimulator(), InlineRunner(), 10, 9)
    more = run_simulation(small(["sorter.rate=+50%"]), SimpySimulator(), InlineRunner(), 10, 9)
    diffs = [
        m.extra["missed_planned_truck"] - b.extra["missed_planned_truck"]
        for b, m in zip(base.replications, more.replications, strict=True)
    ]
    interval = mean_interval(diffs)
    assert interval.mean <= interval.half_width  # not more, beyond the paired interval
    assert (
        more.summary.stages["sorter"]["mean_wait_minutes"].mean
        < base.summary.stages["sorter"]["mean_wait_minutes"].mean
    )


@pytest.mark.parametrize(
    ("sets", "field"),
    [
        (["overrides.no_such_resource=3"], "overrides.no_such_resource"),
        (["shifts.nonexistent=4"], "overrides.shifts.nonexistent"),
        (["sorter.rate=fast"], "overrides.sorter.rate"),
        (["demand.multiplier=-1"], "demand.multiplier"),
        (["demand.parcels_per_origin.ZZZ=5"], "demand.parcels_per_origin.ZZZ"),
        (["mix.battery_share=1.5"], "mix.battery_share"),
        (["scenario.colour=blue"], "scenario.colour"),
    ],
)
def test_bad_scenarios_name_the_key_before_anything_runs(sets: list[str], field: str) -> None:
    def prepare() -> object:
        return SimpySimulator().prepare(prepare_scenario(peak(), sets))

    with pytest.raises(InvalidInput) as caught:
        prepare()
    assert caught.value.field == field


def test_network_errors_name_the_station_and_key() -> None:
    doc = {
        "scenario": {"kind": "network", "horizon_hours": 10},
        "stations": [
            {"name": "A", "servers": 1, "service": {"dist": "exponential", "mean_minutes": 1}}
        ],
        "arrivals": [{"station": "B", "rate_per_hour": 5}],
    }
    with pytest.raises(InvalidInput) as caught:
        prepare_scenario(doc, [])
    assert caught.value.field == "arrivals[0].station"
    doc["arrivals"] = [{"station": "A", "rate_per_hour": -5}]
    with pytest.raises(InvalidInput) as caught:
        prepare_scenario(doc, [])
    assert caught.value.field == "arrivals[0].rate_per_hour[0]"

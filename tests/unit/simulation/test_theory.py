"""The engine against queueing theory and a second library (Ciw), on fixed seeds."""

from __future__ import annotations

import math

import ciw
import pytest

from ewtp.adapters.simulation.network_model import run_network
from ewtp.domain.simulation.parse import parse_scenario
from ewtp.domain.simulation.results import summarize
from ewtp.domain.simulation.scenario import NetworkScenario
from ewtp.domain.simulation.stats import mean_interval


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean wait in queue of M/M/c (Erlang C), written from the textbook formula."""
    a = lam / mu
    rho = a / c
    below = math.fsum(a**k / math.factorial(k) for k in range(c))
    top = a**c / (math.factorial(c) * (1 - rho))
    return (top / (below + top)) / (c * mu - lam)


def mmc(lam_per_min: float, mean_service: float, c: int, hours: float) -> NetworkScenario:
    doc = {
        "scenario": {
            "kind": "network",
            "name": "mmc",
            "horizon_hours": hours,
            "warmup_hours": hours / 20,
        },
        "stations": [
            {
                "name": "A",
                "servers": c,
                "service": {"dist": "exponential", "mean_minutes": mean_service},
            }
        ],
        "arrivals": [{"station": "A", "rate_per_hour": lam_per_min * 60}],
    }
    scenario = parse_scenario(doc)
    assert isinstance(scenario, NetworkScenario)
    return scenario


@pytest.mark.parametrize(
    ("lam", "mean_service", "c", "hours"),
    [(0.5, 1.0, 1, 300), (2.4, 1.0, 3, 150), (1.8, 1.0, 2, 400)],  # rho 0.5, 0.8, 0.9
)
def test_mmc_mean_wait_is_within_its_interval_of_erlang_c(
    lam: float, mean_service: float, c: int, hours: float
) -> None:
    reps = [run_network(mmc(lam, mean_service, c, hours), 11, i) for i in range(10)]
    waits = mean_interval([r.stages["A"].values["mean_wait_minutes"] for r in reps])
    expected = erlang_c_wait(lam, 1 / mean_service, c)
    assert waits.contains(expected), (waits, expected)
    assert waits.half_width < 0.25 * expected + 0.05  # the interval says something


def tandem_doc(hours: float) -> dict[str, object]:
    return {
        "scenario": {"kind": "network", "name": "tandem", "horizon_hours": hours},
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


def test_littles_law_holds_per_stage_within_two_percent() -> None:
    scenario = parse_scenario(tandem_doc(400))
    assert isinstance(scenario, NetworkScenario)
    rep = run_network(scenario, 3, 0)
    for name, stage in rep.stages.items():
        v = stage.values
        lam_w = v["arrival_rate_per_minute"] * v["mean_sojourn_minutes"]
        assert v["mean_in_station"] == pytest.approx(lam_w, rel=0.02), name


def test_parcels_are_conserved_in_a_network() -> None:
    scenario = parse_scenario(tandem_doc(50))
    assert isinstance(scenario, NetworkScenario)
    rep = run_network(scenario, 5, 0)
    in_stations = sum(s.values["arrived"] - s.values["served"] for s in rep.stages.values())
    assert rep.parcels_in == rep.parcels_out + rep.in_system
    assert rep.in_system == in_stations


def ciw_waits(hours: float, reps: int) -> dict[int, list[float]]:
    minutes = hours * 60
    out: dict[int, list[float]] = {1: [], 2: [], 3: []}
    for seed in range(reps):
        network = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(1.0), None, None],
            service_distributions=[
                ciw.dists.Exponential(1 / 0.8),
                ciw.dists.Exponential(1 / 1.5),
                ciw.dists.Exponential(1 / 0.7),
            ],
            routing=[[0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 0.0, 0.0]],
            number_of_servers=[1, 2, 1],
        )
        ciw.seed(seed)
        sim = ciw.Simulation(network)
        sim.simulate_until_max_time(minutes)
        records = sim.get_all_records()
        for node in (1, 2, 3):
            waits = [r.waiting_time for r in records if r.node == node]
            out[node].append(math.fsum(waits) / len(waits))
    return out


def test_a_three_station_tandem_agrees_with_ciw() -> None:
    hours, n = 100, 10
    scenario = parse_scenario(tandem_doc(hours))
    assert isinstance(scenario, NetworkScenario)
    ours = summarize("tandem", 1, [run_network(scenario, 1, i) for i in range(n)])
    theirs = ciw_waits(hours, n)
    for node, name in ((1, "S1"), (2, "S2"), (3, "S3")):
        a = ours.stages[name]["mean_wait_minutes"]
        b = mean_interval(theirs[node])
        gap = abs(a.mean - b.mean)
        assert gap <= math.hypot(a.half_width, b.half_width) * 1.5 + 0.02, (name, a, b)

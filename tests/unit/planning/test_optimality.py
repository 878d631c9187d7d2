"""The plan is optimal: equal to a path-enumeration LP (scipy) and to networkx min-cost flow."""

from __future__ import annotations

from datetime import timedelta

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from ewtp.domain.planning import PROMISES, read_plan
from unit.planning import oracle
from unit.planning.instances import START, Instance, instances, solve

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@FAST
@given(instances())
def test_objective_equals_the_path_enumeration_lp(inst: Instance) -> None:
    _, sol = solve(inst)
    assert sol.status == "Optimal"
    assert _close(sol.objective, oracle.optimum(inst))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(candidates=2))
def test_mip_objective_equals_the_best_candidate_set_by_brute_force(inst: Instance) -> None:
    model, sol = solve(inst)
    assert sol.is_mip
    assert sol.status == "Optimal"
    assert _close(sol.objective, oracle.best_over_candidates(inst))
    plan = read_plan(model, sol, inst.params, START.date())
    chosen = frozenset(
        i for i, d in enumerate(inst.departures)
        for c in plan.candidates if c.open and c.id == d.candidate
    )  # fmt: skip
    for c in plan.candidates:
        i = next(j for j, d in enumerate(inst.departures) if d.candidate == c.id)
        saving = oracle.optimum(inst, chosen - {i}) - oracle.optimum(inst, chosen | {i})
        assert abs(c.saving - saving) <= 1e-6 * max(1.0, abs(sol.objective))


def _networkx_cost(inst: Instance) -> float:
    """The single row as an integer min-cost flow on a departure graph built here."""
    row = inst.rows[0]
    zone = inst.zones[row.destination]
    parcels = int(row.parcels)
    w, v = float(row.kg / row.parcels), float(row.m3 / row.parcels)
    due = row.ready_utc + PROMISES[row.service_level] - timedelta(hours=float(zone.last_mile_hours))
    p = inst.params
    cents = 100  # every cost below is a whole number of cents (see _integral)
    g = nx.DiGraph()
    g.add_node("S", demand=-parcels)
    g.add_node("T", demand=parcels)
    g.add_edge("S", "T", weight=round(p.unserved_per_parcel * cents), capacity=parcels)
    late_h = (row.ready_utc - due) / timedelta(hours=1)
    if row.origin == zone.hub:
        g.add_edge("S", "direct", weight=round(p.late_per_parcel_hour * max(0, late_h) * cents))
        g.add_edge("direct", "T", weight=0)
    for i, d in enumerate(inst.departures):
        cap = int(min(d.capacity_kg / w, d.capacity_m3 / v) + 1e-9)
        g.add_edge(("in", i), ("out", i), capacity=cap, weight=round(w * d.cost_per_kg * cents))
        if d.origin == row.origin and d.departure_utc >= row.ready_utc:
            g.add_edge("S", ("in", i), weight=0)
        if d.destination == zone.hub:
            late = max(0.0, (d.arrival_utc - due) / timedelta(hours=1))
            g.add_edge(("out", i), "T", weight=round(p.late_per_parcel_hour * late * cents))
        for j, e in enumerate(inst.departures):
            ready = d.arrival_utc + timedelta(minutes=inst.mct[d.destination])
            if e.origin == d.destination and e.departure_utc >= ready:
                g.add_edge(("out", i), ("in", j), weight=0)
    return float(nx.min_cost_flow_cost(g)) / cents


@FAST
@given(instances(single_row=True))
def test_single_commodity_equals_networkx_min_cost_flow(inst: Instance) -> None:
    row = inst.rows[0]
    w, v = float(row.kg / row.parcels), float(row.m3 / row.parcels)
    # Whole parcels per departure, so the integer flow is the LP optimum.
    deps = [
        d.__class__(**{**{f: getattr(d, f) for f in d.__dataclass_fields__},
                       "capacity_kg": w * round(d.capacity_kg / w),
                       "capacity_m3": v * 10**6})
        for d in inst.departures
    ]  # fmt: skip
    inst = Instance(inst.mct, inst.zones, deps, inst.rows, inst.params)
    _, sol = solve(inst)
    assert _close(sol.objective, _networkx_cost(inst))


def test_a_hand_checked_instance_pays_what_the_arithmetic_says() -> None:
    """Two parcels, one seat: one flies (1 kg x 2 EUR), one is unserved (10 EUR)."""
    from decimal import Decimal

    from ewtp.domain.network.model import Zone
    from ewtp.domain.planning import Departure, ForecastRow, PlanParameters

    dep = Departure("F", "F", "air", "AAA", "BBB", START + timedelta(hours=2),
                    START + timedelta(hours=12), 1.0, 1.0, 2.0)  # fmt: skip
    row = ForecastRow(0, "AAA", "ZB", START, Decimal(2), Decimal(2), Decimal("0.02"))
    inst = Instance({"AAA": 0, "BBB": 0}, {"ZB": Zone("ZB", "BBB", Decimal(0))}, [dep], [row],
                    PlanParameters(late_per_parcel_hour=1.0, unserved_per_parcel=10.0))  # fmt: skip
    _, sol = solve(inst)
    assert sol.objective == pytest.approx(12.0, rel=1e-9)


def test_a_hub_limit_caps_the_parcels_arriving_in_an_hour() -> None:
    """10 parcels, one flight, 4 parcels an hour into BBB: 4 fly (4 x 2 EUR), 6 unserved."""
    from decimal import Decimal

    from ewtp.adapters.highs import HighsPlanSolver
    from ewtp.domain.network.model import Zone
    from ewtp.domain.planning import (
        Departure,
        ForecastRow,
        HubLimit,
        PlanParameters,
        aggregate,
        build_model,
    )

    dep = Departure("F", "F", "air", "AAA", "BBB", START + timedelta(hours=2),
                    START + timedelta(hours=12), 100.0, 100.0, 2.0)  # fmt: skip
    row = ForecastRow(0, "AAA", "ZB", START, Decimal(10), Decimal(10), Decimal("0.1"))
    params = PlanParameters(late_per_parcel_hour=1.0, unserved_per_parcel=10.0)
    commodities = aggregate([row], {"ZB": Zone("ZB", "BBB", Decimal(0))})
    model = build_model(START, [dep], {"AAA": 0, "BBB": 0}, commodities, params,
                        [HubLimit("BBB", 4.0)])  # fmt: skip
    sol = HighsPlanSolver().solve(model)
    assert model.hub_rows == (("BBB", 12, model.num_rows - 1),)
    assert sol.objective == pytest.approx(4 * 2.0 + 6 * 10.0, rel=1e-9)


def test_the_liege_hub_model_bounds_arrivals_by_four_hours_of_night_sorting() -> None:
    """data/hubs/LGG: 24 night operators x 1,600 items/h = 38,400 (under the sorters'
    2 x 20,000), and Liège's 240-minute connection time: 4 x 38,400 per arrival hour."""
    from datetime import date

    from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
    from ewtp.adapters.planning.hub_limits import HubModelLimits
    from ewtp.domain.network.model import NetworkSnapshot
    from ewtp.domain.planning import HubLimit

    files = read_network_dir(BUILTIN_DIR, date(2026, 11, 9))
    snap = NetworkSnapshot("g", "v", tuple(files.hubs), tuple(files.services), tuple(files.zones))
    limits = {lim.hub: lim for lim in HubModelLimits().limits(snap, date(2026, 11, 9))}
    assert limits["LGG"] == HubLimit("LGG", 4 * 24 * 1600.0)

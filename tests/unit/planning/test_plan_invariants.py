"""Every plan carries no more than capacity, conserves flow, proves its optimum, and
gets no worse when capacity is added; shadow prices are subgradients of the optimum."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ewtp.domain.planning import read_plan
from ewtp.domain.planning.expansion import DEP
from unit.planning.instances import START, Instance, instances, solve, with_capacity

FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances(candidates=1))
def test_no_departure_carries_more_than_its_kg_or_m3(inst: Instance) -> None:
    model, sol = solve(inst)
    plan = read_plan(model, sol, inst.params, START.date())
    for d in plan.departures:
        cap = 1.0 if d.open else 0.0
        assert d.kg <= d.capacity_kg * cap + 1e-6
        assert d.m3 <= d.capacity_m3 * cap + 1e-6
    total = plan.totals
    assert abs(total.on_time + total.late + total.unserved - total.parcels) <= 1e-6 * max(
        1.0, total.parcels
    )


@FAST
@given(instances())
def test_flow_is_conserved_at_every_hub_and_time(inst: Instance) -> None:
    model, sol = solve(inst)
    x = sol.x
    balance = np.zeros(model.num_nodes)
    out = model.col_tail >= 0
    np.add.at(balance, model.col_tail[out], x[out])
    into = model.col_head >= 0
    np.subtract.at(balance, model.col_head[into], x[into])
    assert np.allclose(balance, model.node_supply, atol=1e-6)
    assert (x >= -1e-9).all()
    # and what enters the network is what the forecast sends there
    assert model.node_supply.sum() + model.fixed_delivered.sum() + model.fixed_unserved.sum() == (
        __import__("pytest").approx(float(sum(r.parcels for r in inst.rows)))
    )


@FAST
@given(instances())
def test_the_lp_gap_is_at_most_one_in_a_million(inst: Instance) -> None:
    _, sol = solve(inst)
    assert sol.status == "Optimal"
    assert sol.relative_gap <= 1e-6


@FAST
@given(instances(), st.data())
def test_adding_capacity_never_makes_the_objective_worse(
    inst: Instance, data: st.DataObject
) -> None:
    _, before = solve(inst)
    index = data.draw(st.integers(0, len(inst.departures) - 1))
    factor = data.draw(st.sampled_from([1.5, 2.0, 10.0]))
    _, after = solve(with_capacity(inst, index, factor))
    assert after.objective <= before.objective + 1e-6 * max(1.0, abs(before.objective))


@FAST
@given(instances(), st.data())
def test_the_kg_shadow_price_bounds_the_value_of_more_kg(
    inst: Instance, data: st.DataObject
) -> None:
    """Convexity: f(cap + d) >= f(cap) - shadow * d for any optimal dual, either sign of d."""
    model, sol = solve(inst)
    plan = read_plan(model, sol, inst.params, START.date())
    index = data.draw(st.integers(0, len(inst.departures) - 1))
    d = inst.departures[index]
    shadow = plan.departures[index].shadow_kg
    for delta in (-0.5 * d.capacity_kg, 3.0):
        factor = (d.capacity_kg + delta) / d.capacity_kg
        moved = inst.departures[index].__class__(
            **{**{f: getattr(d, f) for f in d.__dataclass_fields__},
               "capacity_kg": d.capacity_kg * factor}
        )  # fmt: skip
        deps = list(inst.departures)
        deps[index] = moved
        _, other = solve(Instance(inst.mct, inst.zones, deps, inst.rows, inst.params))
        assert other.objective >= sol.objective - shadow * delta - 1e-6 * max(1.0, sol.objective)
    assert (model.col_kind[model.col_departure == index] == DEP).all()

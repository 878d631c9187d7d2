"""Route results equal brute-force oracles, on the built-in network and random ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.domain.network.model import Connection, Hub, Service, expand_connections
from ewtp.domain.network.timetable import INF
from ewtp.services.network.coverage import export_connections
from ewtp.services.network.routing import compiled_network, plan_route
from unit.network.fakes import builtin_uow, network_uow
from unit.network.oracle import feasible, oracle_earliest_arrival, oracle_pareto
from unit.network.strategies import networks

READY_TIMES = [
    datetime(2026, 11, 23, 2, 0, tzinfo=UTC),
    datetime(2026, 10, 22, 17, 30, tzinfo=UTC),  # the search window crosses the DST change
    datetime(2026, 3, 27, 23, 59, tzinfo=UTC),
]
HORIZON = 14


def exported(
    hubs: list[Hub] | tuple[Hub, ...],
    services: list[Service] | tuple[Service, ...],
    ready: datetime,
) -> list[Connection]:
    return expand_connections(services, hubs, ready.date() - timedelta(days=1), HORIZON + 3)


def legs_as_connections(plan_legs: tuple, conns: list[Connection]) -> list[Connection]:  # type: ignore[type-arg]
    by_key = {(c.service_id, c.departure_utc): c for c in conns}
    return [by_key[(leg.service_id, leg.departure_utc)] for leg in plan_legs]


@pytest.mark.parametrize("ready", READY_TIMES)
def test_builtin_fastest_routes_equal_the_time_expanded_dijkstra(ready: datetime) -> None:
    uow = builtin_uow()
    snap = uow.network.stored
    assert snap is not None
    mct = {h.code: h.min_connection_minutes for h in snap.hubs}
    # The oracle works on the export that `ewtp network connections` prints.
    conns = export_connections(uow, ready.date() - timedelta(days=1), HORIZON + 3)
    cutoff = ready + timedelta(days=HORIZON)
    net = compiled_network(uow)
    table = net.timetable(ready, HORIZON)
    checked = 0
    for origin in ("HGH", "CGO", "HKG", "KUL", "DXB", "SVO", "LGG", "WAW"):
        o = table.index[origin]
        best, _ = table.earliest_arrival(o, int(ready.timestamp()), int(cutoff.timestamp()))
        for target in sorted(mct):
            if target == origin:
                continue
            expected = oracle_earliest_arrival(conns, mct, origin, target, ready, cutoff)
            plan = plan_route(uow, origin, target, ready, HORIZON)
            got = plan.fastest.arrival_utc if plan.fastest else None
            assert got == expected, (origin, target)
            dijkstra = best[table.index[target]]
            assert (None if dijkstra >= INF else dijkstra) == (
                None if expected is None else int(expected.timestamp())
            )
            for option in plan.options:
                assert feasible(legs_as_connections(option.legs, conns), origin, ready, mct)
            checked += expected is not None
    assert checked > 50


def test_moscow_has_no_link_with_the_eu_and_misses_the_promise() -> None:
    uow = builtin_uow()
    snap = uow.network.stored
    assert snap is not None
    eu = {z.hub for z in snap.zones if z.country != "CN"}
    assert not [
        s
        for s in snap.services
        if "SVO" in (s.origin, s.destination) and {s.origin, s.destination} & eu
    ]
    plan = plan_route(uow, "SVO", "DE", READY_TIMES[0])
    assert plan.fastest is not None
    assert plan.fastest.legs[0].destination == "CGO"  # only by way of China
    assert plan.promise_met is False


def test_the_train_is_the_cheap_low_co2_pareto_option_to_liege() -> None:
    plan = plan_route(builtin_uow(), "CGO", "LGG", READY_TIMES[0])
    modes = [{leg.mode for leg in o.legs} for o in plan.options]
    assert {"air"} in modes
    assert {"rail"} in modes
    train = plan.options[-1]
    assert train.cost_per_kg < plan.options[0].cost_per_kg
    assert train.co2_kg_per_kg < plan.options[0].co2_kg_per_kg
    assert (
        timedelta(days=14)
        <= train.legs[0].arrival_utc - train.legs[0].departure_utc
        <= timedelta(days=18)
    )


@settings(max_examples=60, deadline=None)
@given(net=networks(), ready_hour=st.integers(0, 24 * 7 - 1), horizon=st.integers(1, 4))
def test_random_networks_match_both_oracles(
    net: tuple[list[Hub], list[Service]], ready_hour: int, horizon: int
) -> None:
    hubs, services = net
    ready = datetime(2026, 10, 19, tzinfo=UTC) + timedelta(hours=ready_hour)
    uow = network_uow(hubs, services, [])
    mct = {h.code: h.min_connection_minutes for h in hubs}
    conns = exported(hubs, services, ready)
    cutoff = ready + timedelta(days=horizon)
    table = compiled_network(uow).timetable(ready, horizon)
    origin = hubs[0].code
    best, via = table.earliest_arrival(0, int(ready.timestamp()), int(cutoff.timestamp()))
    for target in [h.code for h in hubs[1:]]:
        expected = oracle_earliest_arrival(conns, mct, origin, target, ready, cutoff)
        plan = plan_route(uow, origin, target, ready, horizon)
        assert (plan.fastest.arrival_utc if plan.fastest else None) == expected
        t = table.index[target]
        assert (None if best[t] >= INF else best[t]) == (
            None if expected is None else int(expected.timestamp())
        )
        if expected is not None:
            chain = [table.connections[k] for k in table.chain(via, t)]
            assert feasible(chain, origin, ready, mct)
            assert chain[-1].arrival_utc == expected
        pareto = oracle_pareto(conns, mct, origin, target, ready, cutoff)
        assert {(o.arrival_utc, o.cost_per_kg) for o in plan.options} == pareto
        for option in plan.options:
            assert feasible(legs_as_connections(option.legs, conns), origin, ready, mct)

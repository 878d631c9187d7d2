"""Batch and profile answers equal the single-query search, and the oracles, exactly."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.domain.network.model import Hub, Service, Zone
from ewtp.domain.network.profile import ArrivalProfile, first_departure, pareto_snapshots
from ewtp.domain.network.route_json import PlanJsonWriter
from ewtp.domain.network.routing import plan_to_json
from ewtp.domain.network.timetable import INF, Label
from ewtp.services.network.batch import BatchInvalid, RouteQuery, arrival_profile, plan_routes
from ewtp.services.network.coverage import coverage_report
from ewtp.services.network.routing import compiled_network, plan_route
from unit.network.fakes import builtin_uow, network_uow
from unit.network.oracle import oracle_earliest_arrival
from unit.network.strategies import networks
from unit.network.test_routing import exported

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
#: A quoting day's mix: most parcels leave the Chinese eHubs, a few other gateways.
ORIGINS = ["HGH"] * 6 + ["CGO"] * 2 + ["HKG"] * 2 + ["KUL", "DXB", "LGG", "SVO"]


def _day_of_queries(uow: object, n: int, day: datetime, seed: int) -> list[RouteQuery]:
    net = compiled_network(uow)  # type: ignore[arg-type]
    rng = random.Random(seed)
    places = sorted(net.zones) + sorted(net.hubs)
    out = []
    while len(out) < n:
        origin, dest = rng.choice(ORIGINS), rng.choice(places)
        if dest != origin:
            out.append(RouteQuery(origin, dest, day + timedelta(seconds=rng.randrange(86400))))
    return out


def test_a_day_of_builtin_queries_equals_the_single_query_search() -> None:
    uow = builtin_uow()
    queries = _day_of_queries(uow, 600, MONDAY + timedelta(days=2), seed=3)
    queries += _day_of_queries(uow, 200, datetime(2026, 10, 24, tzinfo=UTC), seed=4)  # DST
    queries.append(RouteQuery("HGH", "CN", MONDAY))  # the origin hub's own zone
    plans = plan_routes(uow, queries)
    for query, plan in zip(queries, plans, strict=True):
        assert plan == plan_route(uow, query.origin, query.destination, query.ready), query
    writer = PlanJsonWriter()
    assert [writer.dumps(p) for p in plans] == [json.dumps(plan_to_json(p)) for p in plans]


def test_batches_with_short_horizons_cut_exactly_where_the_search_does() -> None:
    uow = builtin_uow()
    queries = _day_of_queries(uow, 300, MONDAY, seed=5)
    for horizon in (1, 2, 3):
        plans = plan_routes(uow, queries, horizon)
        for q, plan in zip(queries, plans, strict=True):
            assert plan == plan_route(uow, q.origin, q.destination, q.ready, horizon)


@settings(max_examples=60, deadline=None)
@given(
    net=networks(),
    picks=st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 6), st.integers(0, 3 * 24 * 60)),
        min_size=1,
        max_size=25,
    ),
    horizon=st.integers(1, 4),
)
def test_random_batches_equal_the_single_query_search(
    net: tuple[list[Hub], list[Service]], picks: list[tuple[int, int, int]], horizon: int
) -> None:
    hubs, services = net
    codes = [h.code for h in hubs]
    zones = [Zone("ZA", codes[0], Decimal("6.5")), Zone("ZB", codes[-1], Decimal("0.25"))]
    uow = network_uow(hubs, services, zones)
    start = datetime(2026, 10, 23, tzinfo=UTC)  # the window crosses the DST change
    queries = []
    for o, d, minute in picks:
        origin = codes[o % len(codes)]
        places = [*codes, "ZA", "ZB"]
        dest = places[d % len(places)]
        if dest != origin:
            queries.append(RouteQuery(origin, dest, start + timedelta(minutes=minute)))
    plans = plan_routes(uow, queries, horizon)
    for q, plan in zip(queries, plans, strict=True):
        assert plan == plan_route(uow, q.origin, q.destination, q.ready, horizon)


@settings(max_examples=40, deadline=None)
@given(net=networks(), ready_hour=st.integers(0, 24 * 7 - 1), horizon=st.integers(1, 4))
def test_profiles_match_the_time_expanded_oracle(
    net: tuple[list[Hub], list[Service]], ready_hour: int, horizon: int
) -> None:
    hubs, services = net
    ready = datetime(2026, 10, 19, tzinfo=UTC) + timedelta(hours=ready_hour)
    uow = network_uow(hubs, services, [])
    mct = {h.code: h.min_connection_minutes for h in hubs}
    conns = exported(hubs, services, ready)
    cutoff = ready + timedelta(days=horizon)
    table = compiled_network(uow).timetable(ready, horizon)
    for origin in hubs:
        profile = ArrivalProfile(table, table.index[origin.code])
        for target in hubs:
            if target is origin:
                continue
            expected = oracle_earliest_arrival(conns, mct, origin.code, target.code, ready, cutoff)
            got = profile.arrival(
                table.index[target.code], int(ready.timestamp()), int(cutoff.timestamp())
            )
            assert (None if got >= INF else got) == (
                None if expected is None else int(expected.timestamp())
            )


def _chain(label: Label) -> tuple[int, int, list[int]]:
    """Arrival, cost and legs of a label (the start label's ready time aside)."""
    legs = []
    node: Label | None = label
    while node is not None and node.connection >= 0:
        legs.append(node.connection)
        node = node.parent
    return label.arrival, label.cost, legs[::-1]


def test_snapshots_equal_the_pareto_scan_at_every_cutoff() -> None:
    uow = builtin_uow()
    table = compiled_network(uow).timetable(MONDAY, 14)
    rng = random.Random(9)
    targets = list(range(len(table.codes)))
    for _ in range(40):
        o = rng.randrange(len(table.codes))
        ready = int(MONDAY.timestamp()) + rng.randrange(7 * 86400)
        start = first_departure(table, o, ready)
        if start >= INF:
            continue
        cutoffs = sorted({ready + rng.randrange(3600, 16 * 86400) for _ in range(4)})
        snaps = pareto_snapshots(table, o, start, cutoffs, targets)
        for cutoff, snap in zip(cutoffs, snaps, strict=True):
            for t in targets:
                if t != o:
                    expected = [_chain(lb) for lb in table.pareto(o, t, ready, cutoff)]
                    got = sorted(snap[t], key=lambda lb: (lb.arrival, lb.cost))
                    assert [_chain(lb) for lb in got] == expected


def test_an_origin_profile_answers_like_the_search_for_any_ready_time() -> None:
    uow = builtin_uow()
    profile = arrival_profile(uow, "HGH", MONDAY)
    rng = random.Random(2)
    for _ in range(100):
        ready = MONDAY + timedelta(seconds=rng.randrange(7 * 86400))
        for dest in ("FR", "LGG", "CN", "CY"):
            plan = plan_route(uow, "HGH", dest, ready)
            assert profile.earliest(dest, ready) == (
                plan.fastest.delivered_utc if plan.fastest else None
            )


def test_coverage_of_every_origin_from_profiles_equals_the_per_query_search() -> None:
    uow = builtin_uow()
    by_profile = coverage_report(uow, None, MONDAY.date())
    assert len(by_profile) == 17 * 28
    assert by_profile == coverage_report(uow, None, MONDAY.date(), method="search")


def test_a_batch_with_bad_queries_names_each_by_its_index_and_answers_none() -> None:
    uow = builtin_uow()
    good = RouteQuery("HGH", "FR", MONDAY)
    with pytest.raises(BatchInvalid) as caught:
        plan_routes(
            uow,
            [
                good,
                RouteQuery("XXX", "FR", MONDAY),
                RouteQuery("HGH", "ZZ", MONDAY),
                RouteQuery("HGH", "FR", datetime(2026, 11, 23)),
                RouteQuery("LGG", "LGG", MONDAY),
            ],
        )
    assert caught.value.field == "queries[1].origin"
    assert caught.value.field_errors() == [
        ("queries[1].origin", "unknown hub 'XXX'"),
        ("queries[2].destination", "unknown country (no delivery zone) 'ZZ'"),
        ("queries[3].ready", "needs a time zone, e.g. 2026-11-23T10:00:00+08:00 or ...Z"),
        ("queries[4].destination", "must differ from the origin hub"),
    ]

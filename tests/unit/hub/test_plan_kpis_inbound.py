"""Sort plan chutes against a brute-force overlap check; KPIs and inbound by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.domain.hub import Departure, Resource, ResourceRow, build_sort_plan
from ewtp.domain.hub.inbound import InboundParcel, forecast
from ewtp.domain.hub.kpis import HubScan, LoggedDecision, compute_kpis, nearest_rank
from unit.hub.lgg import DAY, lgg, plan, table

T0 = datetime(2026, 11, 11, tzinfo=UTC)


def _overlap_free(planned: list) -> bool:  # type: ignore[type-arg]
    """No chute serves two departures to different next hubs at the same moment."""
    for i, a in enumerate(planned):
        for b in planned[i + 1 :]:
            shared = set(a.chutes) & set(b.chutes)
            if not shared or a.departure.destination == b.departure.destination:
                continue
            if a.opens_utc < b.departure.departure_utc and b.opens_utc < a.departure.departure_utc:
                return False
    return True


def test_liege_places_every_departure_on_its_own_home_chutes() -> None:
    p = plan()
    assert (p.merged, p.unplaced, p.short) == ((), (), ())
    assert _overlap_free(list(p.departures))
    per = lgg().parameters.chutes_per_departure
    assert all(len(d.chutes) == per for d in p.departures)
    by_service = {d.departure.service_id: d.chutes for d in p.departures}
    assert all(d.chutes == by_service[d.departure.service_id] for d in p.departures)


def _with_chutes(n: int):  # type: ignore[no-untyped-def]
    model = lgg()
    rows = tuple(
        replace(r, count=n) if r.resource is Resource.OUTBOUND_CHUTE else r for r in model.resources
    )
    return replace(model, resources=rows)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 45))
def test_with_few_chutes_the_plan_never_double_books_one_and_names_what_it_merged(n: int) -> None:
    model = _with_chutes(n)
    deps = table().departures
    p = build_sort_plan(model, DAY, deps, {})
    assert _overlap_free(list(p.departures))
    assert all(int(c[1:]) <= n for d in p.departures for c in d.chutes)
    for d in p.departures:
        assert d.placed or d.departure.service_id in " ".join(p.unplaced)
    if n < 2 * 18:  # 18 departures leave within one 12-hour window
        assert p.merged or p.unplaced or p.short


def test_two_departures_to_one_hub_share_chutes_when_none_are_left() -> None:
    model = _with_chutes(2)
    model = replace(model, parameters=replace(model.parameters, chutes_per_departure=2))
    a = Departure("A", "FRA", T0 + timedelta(hours=12), T0 + timedelta(hours=11))
    b = Departure("B", "FRA", T0 + timedelta(hours=13), T0 + timedelta(hours=12))
    c = Departure("C", "CDG", T0 + timedelta(hours=13), T0 + timedelta(hours=12))
    p = build_sort_plan(model, DAY, [a, b, c], {})
    planned = {d.departure.service_id: d for d in p.departures}
    assert planned["A"].chutes == ("C001", "C002")
    assert planned["B"].merged_with == "A@2026-11-11T12:00:00Z"
    assert planned["B"].chutes == planned["A"].chutes
    assert not planned["C"].placed
    assert p.unplaced == ("C@2026-11-11T13:00:00Z",)


@given(
    st.lists(st.floats(0, 10_000, allow_nan=False), min_size=1, max_size=50),
    st.sampled_from([50, 95]),
)
def test_nearest_rank_is_the_smallest_value_covering_p_percent(values: list[float], p: int) -> None:
    found = nearest_rank(values, p)
    covering = [v for v in values if sum(x <= v for x in values) * 100 >= p * len(values)]
    assert found == min(covering)


def test_kpis_count_dwell_backlog_misses_and_risk() -> None:
    h = timedelta(hours=1)
    scans = [
        HubScan("A", "arrived", T0 - 3 * h),  # arrived before the window
        HubScan("A", "departed", T0 + h),  # dwell 4 h
        HubScan("B", "arrived", T0 + h),
        HubScan("B", "departed", T0 + 2 * h),  # dwell 1 h
        HubScan("C", "arrived", T0 + 2 * h),  # still there: backlog
        HubScan("D", "arrived", T0 + 2 * h),  # still there, promise at risk
    ]
    booked = T0 + 10 * h
    decisions = [
        LoggedDecision("C", T0 + 2 * h, "rerouted", "C005", "X", T0 + 20 * h, True, "Y", booked),
        LoggedDecision("D", T0 + 2 * h, "rerouted", "C005", "X", T0 + 20 * h, False, "Y", booked),
    ]
    k = compute_kpis(
        "LGG", T0, T0 + 3 * h, scans, decisions, {d.tracking_number: d for d in decisions}
    )
    assert (k.dwell_count, k.dwell_p50_minutes, k.dwell_p95_minutes) == (2, 60.0, 240.0)
    assert k.backlog == 2
    assert k.at_risk == ("D",)
    assert [(m.service_id, m.departure_utc, m.rerouted) for m in k.cutoff_misses] == [
        ("Y", booked, 2)
    ]
    # hours from T0: nothing; A departs and B arrives; B departs, C and D arrive
    throughput = [(x.arrived, x.departed, x.decided) for x in k.throughput]
    assert throughput == [(0, 0, 0), (1, 1, 0), (2, 1, 2)]


def test_inbound_ulds_are_the_larger_of_weight_and_volume() -> None:
    at = T0 + timedelta(hours=5, minutes=40)
    parcels = [
        InboundParcel(f"P{i}", "AIR-HGH-LGG-1", "HGH", at, Decimal("2.5"), Decimal("0.02"))
        for i in range(1000)
    ]  # 2,500 kg: 1 ULD by weight; 20 m3: 2 ULDs by volume at 10 m3 each
    f = forecast("LGG", parcels, Decimal(4500), Decimal(10))
    (service,) = f.services
    assert (service.parcels, service.kg, service.m3, service.ulds) == (
        1000,
        Decimal("2500.0"),
        Decimal("20.00"),
        2,
    )
    assert [(h.hour_utc, h.ulds) for h in f.hours] == [(T0 + timedelta(hours=5), 2)]


def test_special_chutes_follow_the_outbound_ones() -> None:
    p = plan()
    n = lgg().count(Resource.OUTBOUND_CHUTE)
    assert p.special.inspection[0] == f"C{n + 1:03d}"
    assert isinstance(lgg().resources[0], ResourceRow)

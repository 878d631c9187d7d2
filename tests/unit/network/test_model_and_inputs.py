"""DST-correct connections, the promise boundary, coverage and every bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.model import Hub, Mode, Service, Zone, expand_connections
from ewtp.domain.network.routing import PROMISE, Itinerary, promise_met
from ewtp.services.network.coverage import coverage_report, nearest_rank
from ewtp.services.network.routing import origin_hub_for_country, plan_route
from unit.network.fakes import builtin_uow, network_uow

LGG = Hub("LGG", "Liège", "BE", 50.38, 5.26, "Europe/Brussels", 60)
HGH = Hub("HGH", "Hangzhou", "CN", 30.23, 120.43, "Asia/Shanghai", 60)
TRUCK = Service(
    id="T1",
    mode=Mode.ROAD,
    origin="LGG",
    destination="HGH",
    days=frozenset(range(1, 8)),
    departure_local=time(9, 0),
    duration_minutes=120,
    valid_from=date(2026, 1, 1),
    valid_to=None,
    capacity_kg=Decimal(1000),
    capacity_m3=Decimal(10),
    cost_per_kg=Decimal("0.50"),
    co2_kg_per_kg=Decimal("0.10"),
)


def test_local_departures_move_in_utc_across_the_last_sunday_of_october() -> None:
    conns = expand_connections([TRUCK], [LGG, HGH], date(2026, 10, 24), 3)
    # 2026-10-25 is the last Sunday of October: CEST (+02:00) ends at 03:00 local.
    assert [c.departure_utc for c in conns] == [
        datetime(2026, 10, 24, 7, 0, tzinfo=UTC),
        datetime(2026, 10, 25, 8, 0, tzinfo=UTC),
        datetime(2026, 10, 26, 8, 0, tzinfo=UTC),
    ]


def test_a_route_search_across_the_change_catches_the_winter_departure() -> None:
    uow = network_uow([LGG, HGH], [TRUCK], [])
    ready = datetime(2026, 10, 25, 7, 30, tzinfo=UTC)  # 08:30 local, after the change
    plan = plan_route(uow, "LGG", "HGH", ready, 2)
    assert plan.fastest is not None
    assert plan.fastest.legs[0].departure_utc == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)


def test_the_promise_holds_at_exactly_72_hours_and_not_a_second_later() -> None:
    ready = datetime(2026, 11, 23, tzinfo=UTC)

    def at(delta: timedelta) -> Itinerary:
        return Itinerary((), ready, ready + delta, Decimal(0), Decimal(0))

    assert promise_met(ready, at(PROMISE))
    assert not promise_met(ready, at(PROMISE + timedelta(seconds=1)))
    assert not promise_met(ready, None)


def test_origin_hubs_for_countries() -> None:
    uow = builtin_uow()
    assert origin_hub_for_country(uow, "CN") == "HGH"
    assert origin_hub_for_country(uow, "BE") == "LGG"
    assert origin_hub_for_country(uow, "HK") == "HKG"
    with pytest.raises(InvalidInput) as err:
        origin_hub_for_country(uow, "US")
    assert err.value.field == "country"


def test_coverage_equals_plan_route_over_the_168_hours() -> None:
    uow = builtin_uow()
    monday = date(2026, 11, 23)
    row = next(r for r in coverage_report(uow, "HGH", monday) if r.zone == "FR")
    hours = []
    for h in range(168):
        ready = datetime(2026, 11, 23, tzinfo=UTC) + timedelta(hours=h)
        plan = plan_route(uow, "HGH", "FR", ready)
        assert plan.fastest is not None
        hours.append((plan.fastest.delivered_utc - ready).total_seconds() / 3600)
    hours.sort()
    assert row.met_share == round(sum(h <= 72 for h in hours) / 168, 4)
    assert row.p50_hours == round(hours[83], 2)  # nearest rank: ceil(0.5 * 168) = 84th
    assert row.p95_hours == round(hours[159], 2)  # ceil(0.95 * 168) = 160th
    assert 0 < row.met_share < 1


def test_nearest_rank_reports_unreachable_tails_as_none() -> None:
    assert nearest_rank([1.0, 2.0, 3.0, 4.0], 50) == 2.0
    assert nearest_rank([1.0, float("inf")], 95) is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"destination": "LGG"}, "destination"),
        ({"origin": "XXX"}, "origin"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"capacity_kg": Decimal(-1)}, "capacity_kg"),
        ({"capacity_m3": Decimal(-1)}, "capacity_m3"),
    ],
)
def test_bad_services_are_refused_naming_the_field(change: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as err:
        network_uow([LGG, HGH], [replace(TRUCK, **change)], [])  # type: ignore[arg-type]
    assert err.value.field == field


def test_an_overlapping_duplicate_service_id_is_refused_but_a_successor_is_not() -> None:
    later = replace(TRUCK, valid_from=date(2026, 6, 1))
    with pytest.raises(InvalidInput) as err:
        network_uow([LGG, HGH], [TRUCK, later], [])
    assert err.value.field == "id"
    ended = replace(TRUCK, valid_to=date(2026, 5, 31))
    uow = network_uow([LGG, HGH], [ended, later], [])
    assert uow.network.stored is not None


@pytest.mark.parametrize(
    ("origin", "destination", "ready", "field"),
    [
        ("XXX", "FR", datetime(2026, 11, 23, tzinfo=UTC), "origin"),
        ("HGH", "US", datetime(2026, 11, 23, tzinfo=UTC), "destination"),
        ("HGH", "ZZZ", datetime(2026, 11, 23, tzinfo=UTC), "destination"),
        ("HGH", "HGH", datetime(2026, 11, 23, tzinfo=UTC), "destination"),
        ("HGH", "FR", datetime(2026, 11, 23), "ready"),
    ],
)
def test_bad_route_queries_name_the_field(
    origin: str, destination: str, ready: datetime, field: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        plan_route(builtin_uow(), origin, destination, ready)
    assert err.value.field == field


def test_zones_need_a_known_hub() -> None:
    with pytest.raises(InvalidInput) as err:
        network_uow([LGG, HGH], [TRUCK], [Zone("FR", "CDG", Decimal(24))])
    assert err.value.field == "hub"


def test_loading_the_same_network_twice_writes_once() -> None:
    from ewtp.services.network.ports import load_network

    uow = network_uow([LGG, HGH], [TRUCK], [])
    now = datetime(2026, 1, 2, tzinfo=UTC)
    again = load_network(uow, "test", [LGG, HGH], [TRUCK], [], now)
    assert again.changed is False
    assert uow.network.writes == 1
    seeded = load_network(uow, "other", [LGG], [], [], now, if_empty=True)
    assert seeded.changed is False
    assert seeded.name == "test"

"""Bad forecast and candidate rows are errors that name the row and the field."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.model import Zone
from ewtp.domain.planning import ForecastRow, aggregate, parse_forecast
from ewtp.domain.planning.departures import parse_candidates, parse_hub_limits

WEEK = date(2026, 11, 9)
HUBS = ["HGH", "LGG", "CDG"]
ZONES = ["FR", "BE"]
GOOD = {"origin": "HGH", "destination": "FR", "ready_utc": "2026-11-11T08:00:00Z",
        "parcels": "10", "kg": "12.5", "m3": "0.05"}  # fmt: skip
START = datetime(2026, 11, 9, tzinfo=UTC)
END = datetime(2026, 11, 23, tzinfo=UTC)
CAND = {"id": "CH-1", "mode": "air", "origin": "HGH", "destination": "LGG",
        "departure_utc": "2026-11-11T02:00:00Z", "duration_minutes": "720",
        "capacity_kg": "90000", "capacity_m3": "600", "cost_per_kg": "3.1",
        "fixed_cost": "150000"}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"origin": "XXX"}, "forecast[2].origin"),
        ({"destination": "ZZ"}, "forecast[2].destination"),
        ({"kg": "-1"}, "forecast[2].kg"),
        ({"parcels": "-3"}, "forecast[2].parcels"),
        ({"m3": "abc"}, "forecast[2].m3"),
        ({"ready_utc": "2026-11-16T00:00:00Z"}, "forecast[2].ready_utc"),
        ({"ready_utc": "2026-11-08T23:59:59Z"}, "forecast[2].ready_utc"),
        ({"ready_utc": "2026-11-11T08:00:00"}, "forecast[2].ready_utc"),
        ({"service_level": "warp"}, "forecast[2].service_level"),
        ({"m3": "0"}, "forecast[2].m3"),
    ],
)
def test_a_bad_forecast_row_names_its_row_and_field(change: dict[str, str], field: str) -> None:
    rows = [GOOD, GOOD, {**GOOD, **change}]
    with pytest.raises(InvalidInput) as err:
        parse_forecast(rows, HUBS, ZONES, WEEK)
    assert err.value.field == field
    assert "row 2" in err.value.message


def test_rows_are_numbered_from_one_for_files() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_forecast([GOOD, {**GOOD, "kg": "-2"}], HUBS, ZONES, WEEK, where="f.csv", first=1)
    assert err.value.field == "f.csv[2].kg"


def test_the_week_must_start_on_a_monday() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_forecast([GOOD], HUBS, ZONES, date(2026, 11, 11))
    assert err.value.field == "week"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"capacity_kg": "0"}, "candidates[1].capacity_kg"),
        ({"capacity_m3": "-5"}, "candidates[1].capacity_m3"),
        ({"origin": "XXX"}, "candidates[1].origin"),
        ({"destination": "HGH"}, "candidates[1].destination"),
        ({"departure_utc": "2026-12-01T00:00:00Z"}, "candidates[1].departure_utc"),
        ({"duration_minutes": "0"}, "candidates[1].duration_minutes"),
        ({"fixed_cost": "-1"}, "candidates[1].fixed_cost"),
        ({"id": "CH-0"}, "candidates[1].id"),
    ],
)
def test_an_infeasible_capacity_row_names_its_row_and_field(
    change: dict[str, str], field: str
) -> None:
    rows = [{**CAND, "id": "CH-0"}, {**CAND, **change}]
    with pytest.raises(InvalidInput) as err:
        parse_candidates(rows, HUBS, START, END)
    assert err.value.field == field


def test_hub_limits_need_a_known_hub_and_a_positive_rate() -> None:
    with pytest.raises(InvalidInput) as err:
        parse_hub_limits([{"hub": "LGG", "parcels_per_hour": "0"}], HUBS)
    assert err.value.field == "hub_limits[0].parcels_per_hour"


def _row(i: int, dest: str, hour: int, parcels: str, kg: str, m3: str) -> ForecastRow:
    when = datetime(2026, 11, 10, hour, tzinfo=UTC)
    return ForecastRow(i, "HGH", dest, when, Decimal(parcels), Decimal(kg), Decimal(m3))


def test_rows_merge_only_with_the_same_hub_deadline_and_density() -> None:
    zones = {
        "NL": Zone("NL", "LGG", Decimal(24)),
        "LU": Zone("LU", "LGG", Decimal(24)),
        "BE": Zone("BE", "LGG", Decimal(18)),
    }
    rows = [
        _row(0, "NL", 8, "10", "10", "0.1"),  # 1 kg, 0.01 m3 per parcel, deadline 56 h
        _row(1, "LU", 8, "20", "20", "0.2"),  # same hub, deadline, density: merges
        _row(2, "BE", 2, "5", "5", "0.05"),  # 18 h last mile, ready 6 h earlier: same deadline
        _row(3, "NL", 8, "10", "10", "0.2"),  # other m3 per parcel: its own commodity
        _row(4, "NL", 9, "10", "10", "0.1"),  # an hour later: its own deadline
    ]
    commodities = aggregate(rows, zones)
    assert sorted(c.rows for c in commodities) == [(0, 1, 2), (3,), (4,)]
    merged = next(c for c in commodities if c.rows == (0, 1, 2))
    assert merged.zones == ("BE", "LU", "NL")
    assert merged.parcels == 35
    assert merged.deadline_utc == datetime(2026, 11, 12, 8, tzinfo=UTC)

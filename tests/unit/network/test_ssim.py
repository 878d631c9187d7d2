"""SSIM Chapter 7 import: a sample written here, field by field at its fixed columns."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from ewtp.adapters.network.files import mode_factors
from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.ssim import RECORD_LENGTH, parse_ssim
from ewtp.services.network.ssim_import import import_ssim
from unit.network.fakes import builtin_uow

AIR = mode_factors()["air"]


def record(fields: dict[int, str], serial: int) -> str:
    """Place each field at its 1-based start column; serial number in 195-200."""
    line = [" "] * RECORD_LENGTH
    for start, text in {**fields, 195: f"{serial:06d}"}.items():
        line[start - 1 : start - 1 + len(text)] = text
    return "".join(line)


def leg(flight: str, dep: str, std: str, dep_var: str, arr: str, sta: str, arr_var: str,
        days: str = "1234567", arr_day: str = "0", period: tuple[str, str] = ("01NOV26", "31MAR27"),
        serial: int = 3) -> str:  # fmt: skip
    return record(
        {
            1: "3", 3: "CK ", 6: flight, 10: "01", 12: "01", 14: "F",
            15: period[0], 22: period[1], 29: days, 37: dep, 40: std, 44: std,
            48: dep_var, 55: arr, 58: sta, 62: sta, 66: arr_var, 73: "77F", 194: arr_day,
        },
        serial,
    )  # fmt: skip


SAMPLE = [
    record({1: "1", 2: "AIRLINE STANDARD SCHEDULE DATA SET", 192: "001"}, 1),
    record({1: "2", 2: "U", 3: "CK ", 15: "01NOV2631MAR27"}, 2),
    leg("0221", "HGH", "0130", "+0800", "LGG", "0640", "+0100", arr_day="0", serial=3),
    leg(
        "0222",
        "LGG",
        "1000",
        "+0100",
        "HGH",
        "0450",
        "+0800",
        days="1 3 5 7",
        arr_day="1",
        serial=4,
    ),
    record({1: "4", 3: "CK ", 6: "0221"}, 5),
    record({1: "5", 3: "CK ", 188: "000005E"}, 6),
]


def test_the_sample_parses_into_flight_legs_with_utc_durations() -> None:
    parsed = parse_ssim(SAMPLE)
    assert parsed.errors == ()
    assert parsed.records == {"1": 1, "2": 1, "3": 2, "4": 1, "5": 1}
    first, second = parsed.legs
    assert first.service_id == "CK221-01"
    assert first.period_from == date(2026, 11, 1)
    assert first.departure_local == time(1, 30)
    # 01:30+08:00 = 17:30Z the day before; 06:40+01:00 = 05:40Z: 12 h 10 min.
    assert first.duration_minutes == 12 * 60 + 10
    assert second.days == frozenset({1, 3, 5, 7})
    # 10:00+01:00 = 09:00Z; next day 04:50+08:00 = 20:50Z: 11 h 50 min.
    assert second.duration_minutes == 11 * 60 + 50


def test_import_adds_then_replaces_with_a_summary() -> None:
    uow = builtin_uow()
    now = datetime(2026, 11, 22, tzinfo=UTC)
    first = import_ssim(uow, parse_ssim(SAMPLE), "2.80", "90000", "600", now, AIR)
    assert (len(first.added), len(first.replaced), len(first.unchanged)) == (2, 0, 0)
    again = import_ssim(uow, parse_ssim(SAMPLE), "2.80", "90000", "600", now, AIR)
    assert (len(again.added), len(again.replaced), len(again.unchanged)) == (0, 0, 2)
    changed = [
        *SAMPLE[:2],
        leg("0221", "HGH", "0230", "+0800", "LGG", "0740", "+0100"),
        *SAMPLE[3:],
    ]
    third = import_ssim(uow, parse_ssim(changed), "2.80", "90000", "600", now, AIR)
    assert third.replaced == ["CK221-01"]
    stored = uow.network.stored
    assert stored is not None
    imported = [s for s in stored.services if s.id == "CK221-01"]
    assert [s.departure_local for s in imported] == [time(2, 30)]
    builtin = next(s for s in stored.services if s.id == "AIR-HGH-LGG-1")
    assert imported[0].co2_kg_per_kg == builtin.co2_kg_per_kg  # same route, same factor


def test_malformed_lines_are_reported_with_line_numbers_and_nothing_is_written() -> None:
    uow = builtin_uow()
    before = uow.network.writes
    bad = [
        *SAMPLE[:2],
        leg("0221", "HGH", "2561", "+0800", "LGG", "0640", "+0100"),
        leg("0222", "XXX", "1000", "+0100", "HGH", "0450", "+0800"),
        "3 short record",
        *SAMPLE[4:],
    ]
    with pytest.raises(InvalidInput) as err:
        import_ssim(
            uow, parse_ssim(bad), "2.80", "90000", "600", datetime(2026, 11, 22, tzinfo=UTC), AIR
        )
    message = str(err.value)
    assert err.value.field == "ssim"
    assert "line 3 (aircraft_std)" in message
    assert "line 4 (origin)" in message
    assert "line 5 (record_length)" in message
    assert uow.network.writes == before

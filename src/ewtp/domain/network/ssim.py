"""Read IATA SSIM Chapter 7 schedule files (fixed width, 200 characters a record).

Record types: 1 header, 2 carrier, 3 flight leg, 4 segment data, 5 trailer; lines of
zeros are filler. Only flight legs (type 3) become services. Columns (1-based):

  2 operational suffix | 3-5 airline | 6-9 flight number | 10-11 itinerary variation
  12-13 leg sequence | 14 service type | 15-21 period from | 22-28 period to (DDMMMYY)
  29-35 days of operation | 37-39 departure station | 44-47 aircraft STD (local HHMM)
  48-52 UTC/local variation (+HHMM) | 55-57 arrival station | 58-61 aircraft STA (local)
  66-70 UTC/local variation | 73-75 aircraft type | 193/194 date variation (dep/arr;
  A = -1) | 195-200 record serial number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

__all__ = ["RECORD_LENGTH", "SsimError", "SsimLeg", "SsimParse", "parse_ssim"]

RECORD_LENGTH = 200


@dataclass(frozen=True, slots=True)
class SsimLeg:
    line: int
    airline: str
    flight_number: str
    suffix: str
    itinerary_variation: str
    leg_sequence: str
    period_from: date
    period_to: date
    days: frozenset[int]
    departure_station: str
    departure_local: time
    departure_offset_minutes: int
    arrival_station: str
    arrival_local: time
    arrival_offset_minutes: int
    departure_date_variation: int
    arrival_date_variation: int

    @property
    def service_id(self) -> str:
        return f"{self.airline}{int(self.flight_number)}{self.suffix}-{self.leg_sequence}"

    @property
    def duration_minutes(self) -> int:
        def utc_minutes(t: time, offset: int, day: int) -> int:
            return day * 1440 + t.hour * 60 + t.minute - offset

        return utc_minutes(
            self.arrival_local, self.arrival_offset_minutes, self.arrival_date_variation
        ) - utc_minutes(
            self.departure_local, self.departure_offset_minutes, self.departure_date_variation
        )


@dataclass(frozen=True, slots=True)
class SsimError:
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.field}): {self.reason}"


@dataclass(frozen=True, slots=True)
class SsimParse:
    legs: tuple[SsimLeg, ...]
    errors: tuple[SsimError, ...]
    records: dict[str, int]


class _Bad(Exception):
    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field, self.reason = field, reason


def _cut(record: str, first: int, last: int) -> str:
    return record[first - 1 : last]


def _date(raw: str, field: str) -> date:
    try:
        return datetime.strptime(raw.title(), "%d%b%y").date()
    except ValueError as exc:
        raise _Bad(field, f"not a DDMMMYY date: {raw!r}") from exc


def _time(raw: str, field: str) -> time:
    if not (raw.isdigit() and int(raw[:2]) < 24 and int(raw[2:]) < 60):
        raise _Bad(field, f"not an HHMM time: {raw!r}")
    return time(int(raw[:2]), int(raw[2:]))


def _offset(raw: str, field: str) -> int:
    if len(raw) != 5 or raw[0] not in "+-" or not raw[1:].isdigit():
        raise _Bad(field, f"not a +HHMM UTC variation: {raw!r}")
    minutes = int(raw[1:3]) * 60 + int(raw[3:])
    return minutes if raw[0] == "+" else -minutes


def _variation(raw: str, field: str) -> int:
    if raw in (" ", "0"):
        return 0
    if raw == "A":
        return -1
    if raw.isdigit():
        return int(raw)
    raise _Bad(field, f"not a date variation (0-9 or A): {raw!r}")


def _leg(n: int, r: str) -> SsimLeg:
    airline = _cut(r, 3, 5).strip()
    flight = _cut(r, 6, 9).strip()
    if not airline:
        raise _Bad("airline_designator", "is blank")
    if not flight.isdigit():
        raise _Bad("flight_number", f"not digits: {flight!r}")
    days_raw = _cut(r, 29, 35)
    days = set()
    for pos, ch in enumerate(days_raw, start=1):
        if ch == " ":
            continue
        if ch != str(pos):
            raise _Bad("days_of_operation", f"position {pos} must be {pos} or blank: {days_raw!r}")
        days.add(pos)
    if not days:
        raise _Bad("days_of_operation", "no day of operation")
    start, end = _date(_cut(r, 15, 21), "period_from"), _date(_cut(r, 22, 28), "period_to")
    if end < start:
        raise _Bad("period_to", "is before period_from")
    return SsimLeg(
        line=n,
        airline=airline,
        flight_number=flight,
        suffix=_cut(r, 2, 2).strip(),
        itinerary_variation=_cut(r, 10, 11),
        leg_sequence=_cut(r, 12, 13),
        period_from=start,
        period_to=end,
        days=frozenset(days),
        departure_station=_cut(r, 37, 39).strip(),
        departure_local=_time(_cut(r, 44, 47), "aircraft_std"),
        departure_offset_minutes=_offset(_cut(r, 48, 52), "departure_utc_variation"),
        arrival_station=_cut(r, 55, 57).strip(),
        arrival_local=_time(_cut(r, 58, 61), "aircraft_sta"),
        arrival_offset_minutes=_offset(_cut(r, 66, 70), "arrival_utc_variation"),
        departure_date_variation=_variation(_cut(r, 193, 193), "departure_date_variation"),
        arrival_date_variation=_variation(_cut(r, 194, 194), "arrival_date_variation"),
    )


def parse_ssim(lines: Iterable[str]) -> SsimParse:
    """Every flight leg and every per-line error (1-based line numbers)."""
    legs: list[SsimLeg] = []
    errors: list[SsimError] = []
    counts: dict[str, int] = {}
    for n, raw in enumerate(lines, start=1):
        record = raw.rstrip("\r\n")
        if not record.strip() or set(record) == {"0"}:
            continue
        kind = record[0]
        if kind not in "12345":
            errors.append(SsimError(n, "record_type", f"must be 1-5, not {kind!r}"))
            continue
        if len(record) != RECORD_LENGTH:
            errors.append(
                SsimError(
                    n, "record_length", f"must be {RECORD_LENGTH} characters, not {len(record)}"
                )
            )
            continue
        counts[kind] = counts.get(kind, 0) + 1
        if kind != "3":
            continue
        try:
            legs.append(_leg(n, record))
        except _Bad as bad:
            errors.append(SsimError(n, bad.field, bad.reason))
    if not counts.get("1") and not errors:
        errors.append(SsimError(1, "record_type", "no header (type 1) record"))
    return SsimParse(tuple(legs), tuple(errors), counts)

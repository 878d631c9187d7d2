"""Forecast rows: parcels by origin hub, destination zone and ready time, with kg and m³.

Rows are checked against the network and the week before anything is modelled; each
error names the row and the field (`forecast[3].kg`), so a planner can fix the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ewtp.domain.errors import InvalidInput
from ewtp.domain.planning.parameters import PROMISES

__all__ = ["FORECAST_COLUMNS", "ForecastRow", "forecast_records", "parse_forecast", "week_bounds"]

FORECAST_COLUMNS = ("origin", "destination", "ready_utc", "parcels", "kg", "m3", "service_level")


@dataclass(frozen=True, slots=True)
class ForecastRow:
    """One forecast line; `row` is its position in the input, as named in errors."""

    row: int
    origin: str
    destination: str
    ready_utc: datetime
    parcels: Decimal
    kg: Decimal
    m3: Decimal
    service_level: str = "standard"


def week_bounds(week: date) -> tuple[datetime, datetime]:
    """[Monday 00:00Z, next Monday 00:00Z) of the planning week; `week` must be a Monday."""
    if week.isoweekday() != 1:
        raise InvalidInput(f"{week.isoformat()} is not a Monday", field="week")
    if not 2000 <= week.year <= 2999:
        raise InvalidInput("must be a week of the years 2000 to 2999", field="week")
    start = datetime.combine(week, datetime.min.time(), tzinfo=UTC)
    return start, start + timedelta(days=7)


def _text(record: Mapping[str, Any], name: str, field: str) -> str:
    value = record.get(name)
    if value is None or str(value).strip() == "":
        raise InvalidInput("is required", field=field)
    return str(value).strip()


def _amount(record: Mapping[str, Any], name: str, field: str) -> Decimal:
    raw = _text(record, name, field)
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise InvalidInput(f"not a number: {raw!r}", field=field) from exc
    if not value.is_finite():
        raise InvalidInput(f"not a finite number: {raw!r}", field=field)
    if value < 0:
        raise InvalidInput(f"must not be negative, got {raw}", field=field)
    return value


def _moment(record: Mapping[str, Any], field: str) -> datetime:
    value = record.get("ready_utc")
    if isinstance(value, datetime):
        moment = value
    else:
        raw = _text(record, "ready_utc", field)
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
        except ValueError as exc:
            raise InvalidInput(f"not an ISO 8601 date-time: {raw!r}", field=field) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput("needs a time zone offset such as Z or +08:00", field=field)
    return moment.astimezone(UTC)


def parse_forecast(
    records: Iterable[Mapping[str, Any]],
    hubs: Iterable[str],
    zones: Iterable[str],
    week: date,
    *,
    where: str = "forecast",
    first: int = 0,
) -> list[ForecastRow]:
    """Check every record and return the rows; the first bad field raises `InvalidInput`.

    `first` numbers the first record (1 for a file's first data row, 0 for a JSON list).
    """
    hub_codes, zone_codes = set(hubs), set(zones)
    start, end = week_bounds(week)
    out: list[ForecastRow] = []
    for i, record in enumerate(records, start=first):
        try:
            out.append(_row(record, i, f"{where}[{i}]", hub_codes, zone_codes, start, end))
        except InvalidInput as exc:
            raise InvalidInput(f"row {i}: {exc.message}", field=exc.field) from exc
    return out


def _row(
    record: Mapping[str, Any],
    i: int,
    at: str,
    hub_codes: set[str],
    zone_codes: set[str],
    start: datetime,
    end: datetime,
) -> ForecastRow:
    """One record checked; `parse_forecast` adds the row number to any error."""
    origin = _text(record, "origin", f"{at}.origin").upper()
    if origin not in hub_codes:
        raise InvalidInput(f"unknown hub {origin!r}", field=f"{at}.origin")
    dest = _text(record, "destination", f"{at}.destination").upper()
    if dest not in zone_codes:
        raise InvalidInput(f"unknown delivery zone {dest!r}", field=f"{at}.destination")
    ready = _moment(record, f"{at}.ready_utc")
    if not start <= ready < end:
        raise InvalidInput(
            f"{ready.isoformat()} is outside the week [{start.isoformat()}, {end.isoformat()})",
            field=f"{at}.ready_utc",
        )
    parcels = _amount(record, "parcels", f"{at}.parcels")
    kg = _amount(record, "kg", f"{at}.kg")
    m3 = _amount(record, "m3", f"{at}.m3")
    if parcels > 0 and (kg == 0 or m3 == 0):
        name = "kg" if kg == 0 else "m3"
        raise InvalidInput(f"parcels need a positive {name}", field=f"{at}.{name}")
    level = str(record.get("service_level") or "standard").strip().lower() or "standard"
    if level not in PROMISES:
        raise InvalidInput(
            f"unknown service level {level!r} (known: {', '.join(sorted(PROMISES))})",
            field=f"{at}.service_level",
        )
    return ForecastRow(i, origin, dest, ready, parcels, kg, m3, level)


def forecast_records(rows: Sequence[ForecastRow]) -> list[dict[str, str]]:
    """Rows back as the file's columns, for writing a forecast."""
    return [
        {
            "origin": r.origin,
            "destination": r.destination,
            "ready_utc": r.ready_utc.isoformat().replace("+00:00", "Z"),
            "parcels": str(r.parcels),
            "kg": str(r.kg),
            "m3": str(r.m3),
            "service_level": r.service_level,
        }
        for r in rows
    ]

"""Read a network from a directory of CSV files (the built-in `global-72h` is one).

Layout: `hubs.csv`, `services.csv`, `zones.csv`; mode factors come from the directory's
`mode_factors.csv` when present, else from the package's. Blank hub coordinates and
time zones are taken from `airportsdata`; a blank service duration or CO2 figure is
derived from the great-circle distance (`domain/network/geo.py`). Rows not valid on `today`
are skipped for hubs and zones; services keep their own validity. Errors name the file,
the line and the column.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import airportsdata
import pycountry

import ewtp.data
from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.geo import ModeFactors, block_minutes, co2_kg_per_kg, great_circle_km
from ewtp.domain.network.model import Hub, Mode, Service, Zone

__all__ = ["BUILTIN_DIR", "NetworkFiles", "mode_factors", "read_network_dir"]

DATA = Path(ewtp.data.__file__).resolve().parent / "network"
BUILTIN_DIR = DATA / "global-72h"


@dataclass(frozen=True, slots=True)
class NetworkFiles:
    name: str
    hubs: tuple[Hub, ...]
    services: tuple[Service, ...]
    zones: tuple[Zone, ...]


@lru_cache(maxsize=1)
def _airports() -> dict[str, Any]:
    found: dict[str, Any] = airportsdata.load("IATA")
    return found


class _Rows:
    """CSV rows with their line numbers and typed getters that name the failing cell."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise InvalidInput(f"missing file {path}", field=path.name)
        self.file = path.name
        with path.open(newline="", encoding="utf-8") as handle:
            self.rows = [(n + 2, row) for n, row in enumerate(csv.DictReader(handle))]

    def fail(self, line: int, column: str, reason: str) -> InvalidInput:
        return InvalidInput(f"{self.file} line {line}: {reason}", field=column)

    def text(self, line: int, row: dict[str, str], column: str, *, required: bool = True) -> str:
        value = (row.get(column) or "").strip()
        if required and not value:
            raise self.fail(line, column, f"{column} is required")
        return value

    def decimal(self, line: int, row: dict[str, str], column: str) -> Decimal:
        raw = self.text(line, row, column)
        try:
            return Decimal(raw)
        except InvalidOperation as exc:
            raise self.fail(line, column, f"{column} is not a number: {raw!r}") from exc

    def day(self, line: int, row: dict[str, str], column: str) -> date | None:
        raw = self.text(line, row, column, required=column == "valid_from")
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise self.fail(line, column, f"{column} is not a YYYY-MM-DD date: {raw!r}") from exc


def _valid(rows: _Rows, line: int, row: dict[str, str], today: date) -> bool:
    start, end = rows.day(line, row, "valid_from"), rows.day(line, row, "valid_to")
    return start is not None and start <= today and (end is None or today <= end)


def mode_factors(directory: Path | None = None) -> dict[str, ModeFactors]:
    path = directory / "mode_factors.csv" if directory else None
    rows = _Rows(path if path and path.is_file() else DATA / "mode_factors.csv")
    out = {}
    for line, row in rows.rows:
        mode = rows.text(line, row, "mode")
        out[mode] = ModeFactors(
            mode=mode,
            co2e_kg_per_tkm=rows.decimal(line, row, "co2e_kg_per_tkm"),
            distance_factor=rows.decimal(line, row, "distance_factor"),
            distance_add_km=rows.decimal(line, row, "distance_add_km"),
            speed_kmh=rows.decimal(line, row, "speed_kmh"),
            fixed_minutes=int(rows.decimal(line, row, "fixed_minutes")),
        )
    return out


def _country(rows: _Rows, line: int, row: dict[str, str]) -> str:
    code = rows.text(line, row, "country").upper()
    if pycountry.countries.get(alpha_2=code) is None:
        raise rows.fail(line, "country", f"unknown ISO 3166 country {code!r}")
    return code


def _hub(rows: _Rows, line: int, row: dict[str, str]) -> Hub:
    code = rows.text(line, row, "code").upper()
    airport = _airports().get(code, {})
    lat, lon, tz = (rows.text(line, row, c, required=False) for c in ("lat", "lon", "timezone"))
    if not (lat and lon and tz) and not airport:
        raise rows.fail(line, "code", f"{code} is no IATA airport; give lat, lon and timezone")
    return Hub(
        code=code,
        name=rows.text(line, row, "name"),
        country=_country(rows, line, row),
        lat=float(lat) if lat else float(airport["lat"]),
        lon=float(lon) if lon else float(airport["lon"]),
        timezone=tz or str(airport["tz"]),
        min_connection_minutes=int(rows.decimal(line, row, "min_connection_minutes")),
        source=rows.text(line, row, "source"),
    )


def _service(
    rows: _Rows,
    line: int,
    row: dict[str, str],
    hubs: dict[str, Hub],
    factors: dict[str, ModeFactors],
) -> Service:
    sid = rows.text(line, row, "id")
    raw_mode = rows.text(line, row, "mode").lower()
    if raw_mode not in {m.value for m in Mode}:
        raise rows.fail(line, "mode", f"mode must be air, rail or road, not {raw_mode!r}")
    origin, dest = (rows.text(line, row, c).upper() for c in ("origin", "destination"))
    for column, code in (("origin", origin), ("destination", dest)):
        if code not in hubs:
            raise rows.fail(line, column, f"service {sid}: unknown hub {code!r}")
    days = rows.text(line, row, "days")
    if not days.isdigit() or not set(days) <= set("1234567"):
        raise rows.fail(line, "days", f"days must be ISO weekday digits 1-7, not {days!r}")
    try:
        departure = time.fromisoformat(rows.text(line, row, "departure_local"))
    except ValueError as exc:
        raise rows.fail(line, "departure_local", "departure_local must be HH:MM") from exc
    a, b = hubs[origin], hubs[dest]
    factor = factors[raw_mode]
    given_km = rows.text(line, row, "distance_km", required=False)
    planned = (
        Decimal(given_km)
        if given_km
        else factor.planned_km(great_circle_km(a.lat, a.lon, b.lat, b.lon))
    )
    duration = rows.text(line, row, "duration_minutes", required=False)
    co2 = rows.text(line, row, "co2_kg_per_kg", required=False)
    valid_from = rows.day(line, row, "valid_from")
    assert valid_from is not None
    return Service(
        id=sid,
        mode=Mode(raw_mode),
        origin=origin,
        destination=dest,
        days=frozenset(int(d) for d in days),
        departure_local=departure,
        duration_minutes=int(rows.decimal(line, row, "duration_minutes"))
        if duration
        else block_minutes(factor, planned),
        valid_from=valid_from,
        valid_to=rows.day(line, row, "valid_to"),
        capacity_kg=rows.decimal(line, row, "capacity_kg"),
        capacity_m3=rows.decimal(line, row, "capacity_m3"),
        cost_per_kg=rows.decimal(line, row, "cost_per_kg"),
        co2_kg_per_kg=Decimal(co2) if co2 else co2_kg_per_kg(factor, planned),
        source=rows.text(line, row, "source"),
    )


def read_network_dir(directory: Path, today: date) -> NetworkFiles:
    """Parse a network directory; raises `InvalidInput` naming file, line and column."""
    if not directory.is_dir():
        raise InvalidInput(f"not a directory: {directory}", field="directory")
    hub_rows = _Rows(directory / "hubs.csv")
    hubs = {
        hub.code: hub
        for line, row in hub_rows.rows
        if _valid(hub_rows, line, row, today)
        for hub in [_hub(hub_rows, line, row)]
    }
    factors = mode_factors(directory)
    svc_rows = _Rows(directory / "services.csv")
    services = tuple(_service(svc_rows, n, row, hubs, factors) for n, row in svc_rows.rows)
    zone_rows = _Rows(directory / "zones.csv")
    zones = tuple(
        Zone(
            country=_country(zone_rows, n, row),
            hub=zone_rows.text(n, row, "hub").upper(),
            last_mile_hours=zone_rows.decimal(n, row, "last_mile_hours"),
            source=zone_rows.text(n, row, "source"),
        )
        for n, row in zone_rows.rows
        if _valid(zone_rows, n, row, today)
    )
    return NetworkFiles(directory.name, tuple(hubs.values()), services, zones)

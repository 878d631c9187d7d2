"""Build and validate a `HubModel` from the rows of its files, as of one date.

Files: `hub.csv`, `resources.csv`, `times.csv`, `parameters.csv`, `shifts.csv`. Every row
has `valid_from`, `valid_to` (blank: open) and `source`; rows not in force on the date
are ignored. Errors name the file, the line and the column, e.g. field
`shifts.csv[line 4].start` for a shift overlapping another of the same resource.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation

from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub.model import (
    HubModel,
    HubParameters,
    HubTimes,
    Resource,
    ResourceRow,
    Shift,
)

__all__ = ["FILES", "Row", "build_hub_model"]

FILES = ("hub.csv", "resources.csv", "times.csv", "parameters.csv", "shifts.csv")

_TIMES = tuple(f.name for f in fields(HubTimes))
_PARAMETERS = tuple(f.name for f in fields(HubParameters))
_POSITIVE = {"induction_rate_per_operator", "chutes_per_departure", "reroute_horizon_hours"}


@dataclass(frozen=True, slots=True)
class Row:
    """One CSV row with where it came from."""

    file: str
    line: int
    cells: Mapping[str, str]

    def fail(self, column: str, reason: str) -> InvalidInput:
        return InvalidInput(
            f"{self.file} line {self.line}: {reason}",
            field=f"{self.file}[line {self.line}].{column}",
        )

    def text(self, column: str, *, required: bool = True) -> str:
        value = (self.cells.get(column) or "").strip()
        if required and not value:
            raise self.fail(column, f"{column} is required")
        return value

    def number(self, column: str, *, required: bool = True) -> Decimal | None:
        raw = self.text(column, required=required)
        if not raw:
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:
            raise self.fail(column, f"{column} is not a number: {raw!r}") from exc
        if not value.is_finite():
            raise self.fail(column, f"{column} is not a number: {raw!r}")
        if value < 0:
            raise self.fail(column, f"{column} must not be negative: {raw}")
        return value

    def integer(self, column: str) -> int:
        value = self.number(column)
        assert value is not None
        if value != value.to_integral_value():
            raise self.fail(column, f"{column} must be a whole number: {value}")
        return int(value)

    def day(self, column: str) -> date | None:
        raw = self.text(column, required=column == "valid_from")
        try:
            return date.fromisoformat(raw) if raw else None
        except ValueError as exc:
            raise self.fail(column, f"{column} is not a YYYY-MM-DD date: {raw!r}") from exc

    def in_force(self, on: date) -> bool:
        start, end = self.day("valid_from"), self.day("valid_to")
        if end is not None and start is not None and end < start:
            raise self.fail("valid_to", "valid_to is before valid_from")
        return start is not None and start <= on and (end is None or on <= end)

    def minute_of_day(self, column: str) -> int:
        raw = self.text(column)
        hh, _, mm = raw.partition(":")
        if not (hh.isdigit() and mm.isdigit() and len(mm) == 2):
            raise self.fail(column, f"{column} is not HH:MM: {raw!r}")
        minute = int(hh) * 60 + int(mm)
        if int(mm) > 59 or minute > 1440:
            raise self.fail(column, f"{column} is not a time of day: {raw!r}")
        return minute % 1440


def build_hub_model(rows: Mapping[str, Sequence[Row]], on: date) -> HubModel:
    """The model in force on `on`, or `InvalidInput` naming the first broken row."""
    for name in FILES:
        if name not in rows:
            raise InvalidInput(f"missing file {name}", field=name)
    # Every row is checked, in force or not, so a directory with a broken future row
    # does not load today and fail later.
    for row in rows["resources.csv"]:
        _resource(row)
    for name, names in (("times.csv", _TIMES), ("parameters.csv", _PARAMETERS)):
        for row in rows[name]:
            _value(row, names)
    for row in rows["shifts.csv"]:
        _shift(row)
    live = {name: [r for r in rows[name] if r.in_force(on)] for name in FILES}
    if len(live["hub.csv"]) != 1:
        raise InvalidInput(f"needs exactly one hub row in force on {on}", field="hub.csv")
    hub = live["hub.csv"][0]
    code = hub.text("code").upper()
    if not (len(code) == 3 and code.isalpha()):
        raise hub.fail("code", f"code must be a 3-letter hub code: {code!r}")
    resources = tuple(_resource(r) for r in live["resources.csv"])
    known = {r.resource for r in resources}
    missing = [r.value for r in Resource if r not in known]
    if missing:
        raise InvalidInput(
            f"no row in force on {on} for {', '.join(missing)}", field="resources.csv"
        )
    values = _named(live["times.csv"], _TIMES) | _named(live["parameters.csv"], _PARAMETERS)
    times = HubTimes(**{k: int(values[k][0]) for k in _TIMES})
    params = HubParameters(
        inspection_selection_rate=values["inspection_selection_rate"][0],
        chutes_per_departure=int(values["chutes_per_departure"][0]),
        reroute_horizon_hours=int(values["reroute_horizon_hours"][0]),
        uld_kg=values["uld_kg"][0],
        uld_m3=values["uld_m3"][0],
    )
    rate_row = values["inspection_selection_rate"][1]
    if params.inspection_selection_rate > 1:
        raise rate_row.fail("value", "a share must be within 0..1")
    shifts = _shifts(live["shifts.csv"], known)
    return HubModel(
        code=code,
        name=hub.text("name"),
        on=on,
        resources=resources,
        times=times,
        parameters=params,
        shifts=shifts,
        source=hub.text("source", required=False),
    )


def _resource(row: Row) -> ResourceRow:
    raw = row.text("resource")
    try:
        kind = Resource(raw)
    except ValueError:
        known = ", ".join(r.value for r in Resource)
        raise row.fail("resource", f"unknown resource {raw!r} (known: {known})") from None
    rate = row.number("rate_per_hour", required=kind is Resource.SORTER)
    return ResourceRow(kind, row.integer("count"), None if rate is None else int(rate), _src(row))


def _named(rows: Sequence[Row], names: tuple[str, ...]) -> dict[str, tuple[Decimal, Row]]:
    out: dict[str, tuple[Decimal, Row]] = {}
    for row in rows:
        name, value = _value(row, names)
        if name in out:
            raise row.fail("name", f"{name} has two rows in force (line {out[name][1].line})")
        out[name] = (value, row)
    absent = [n for n in names if n not in out]
    if absent:
        file = "times.csv" if absent[0] in _TIMES else "parameters.csv"
        raise InvalidInput(f"no row in force for {', '.join(absent)}", field=file)
    return out


def _value(row: Row, names: tuple[str, ...]) -> tuple[str, Decimal]:
    name = row.text("name")
    if name not in names:
        raise row.fail("name", f"unknown name {name!r} (known: {', '.join(names)})")
    value = row.number("value")
    assert value is not None
    if name in _POSITIVE and value == 0:
        raise row.fail("value", f"{name} must be positive")
    if name not in ("inspection_selection_rate", "uld_kg", "uld_m3"):
        row.integer("value")
    _src(row)
    return name, value


def _shift(row: Row) -> Shift:
    raw = row.text("resource")
    try:
        kind = Resource(raw)
    except ValueError:
        raise row.fail("resource", f"unknown resource {raw!r}") from None
    shift = Shift(
        name=row.text("shift"),
        resource=kind,
        start_minute=row.minute_of_day("start"),
        end_minute=row.minute_of_day("end"),
        staffed=row.integer("staffed"),
    )
    if shift.start_minute == shift.end_minute:
        raise row.fail("end", "a shift must not start and end at the same time")
    _src(row)
    return shift


def _shifts(rows: Sequence[Row], known: set[Resource]) -> tuple[Shift, ...]:
    out: list[tuple[Shift, Row]] = []
    for row in rows:
        shift = _shift(row)
        kind = shift.resource
        if kind not in known:
            raise row.fail("resource", f"resource {kind.value!r} has no row in resources.csv")
        for other, other_row in out:
            if other.resource is kind and shift.minutes() & other.minutes():
                raise row.fail(
                    "start",
                    f"shift {shift.name!r} of {kind.value} overlaps shift {other.name!r} "
                    f"(line {other_row.line})",
                )
        out.append((shift, row))
    return tuple(s for s, _ in out)


def _src(row: Row) -> str:
    return row.text("source")

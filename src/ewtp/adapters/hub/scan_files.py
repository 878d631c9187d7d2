"""Read a file of hub scans (CSV or Parquet) for `ewtp hub sort`.

Columns: `tracking_number`, `scanned_at` (ISO 8601 with an offset, or a time-zone-aware
Parquet timestamp). With a `destination` column the file also describes each parcel
(simulation input): `state`, `promised_by`, `booked_service_id`,
`booked_departure_utc`, `screening_flag` are then optional. A file with bad rows is
refused whole, naming up to five rows by line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import ParcelState
from ewtp.services.hub.bulk import ParcelFacts
from ewtp.services.hub.decisions import Scan

__all__ = ["read_scan_file", "write_decisions"]

_TIME_COLUMNS = ("scanned_at", "departure_utc", "cutoff_utc", "expected_delivery_utc")
_FACTS = ("state", "promised_by", "booked_service_id", "booked_departure_utc", "screening_flag")


def _frame(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field="file")
    if path.suffix.lower() == ".parquet":
        return pl.read_parquet(path)
    if path.suffix.lower() == ".csv":
        return pl.read_csv(path, infer_schema=False)
    raise InvalidInput("must be a .csv or .parquet file", field="file")


def _times(values: list[Any], column: str, errors: list[str], *, required: bool) -> list[Any]:
    out: list[datetime | None] = []
    for n, raw in enumerate(values, start=2):
        if raw is None or raw == "":
            if required:
                errors.append(f"line {n}: {column} is required")
            out.append(None)
            continue
        try:
            moment = raw if isinstance(raw, datetime) else datetime.fromisoformat(str(raw))
        except ValueError:
            errors.append(f"line {n}: {column} is not an ISO 8601 date-time: {raw!r}")
            out.append(None)
            continue
        if moment.tzinfo is None:
            errors.append(f"line {n}: {column} needs a time zone offset such as +01:00 or Z")
            out.append(None)
            continue
        out.append(moment if moment.tzinfo is UTC else moment.astimezone(UTC))
    return out


def _column(frame: pl.DataFrame, name: str) -> list[Any]:
    """A column as Python values; aware Parquet timestamps come back naive UTC, which
    `_times` makes aware with `datetime.UTC` (converting ZoneInfo times one by one is
    slow, and arithmetic on them slower still)."""
    series = frame[name]
    dtype = series.dtype
    if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
        naive = series.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return [None if v is None else v.replace(tzinfo=UTC) for v in naive.to_list()]
    return series.to_list()


def read_scan_file(path: Path) -> tuple[list[Scan], list[ParcelFacts] | None]:
    frame = _frame(path)
    missing = {"tracking_number", "scanned_at"} - set(frame.columns)
    if missing:
        raise InvalidInput(f"missing column(s) {', '.join(sorted(missing))}", field="header")
    errors: list[str] = []
    numbers = [str(v or "") for v in frame["tracking_number"].to_list()]
    times = _times(_column(frame, "scanned_at"), "scanned_at", errors, required=True)
    facts: list[ParcelFacts] | None = None
    if "destination" in frame.columns:
        n = frame.height
        col = {c: _column(frame, c) if c in frame.columns else [None] * n for c in _FACTS}
        promised = _times(col["promised_by"], "promised_by", errors, required=False)
        booked = _times(col["booked_departure_utc"], "booked_departure_utc", errors, required=False)
        states = {s.value: s for s in ParcelState}
        facts = []
        for i, dest in enumerate(frame["destination"].to_list()):
            raw_state = col["state"][i] or "active"
            state = states.get(str(raw_state))
            if state is None:
                errors.append(f"line {i + 2}: state must be one of {', '.join(states)}")
                state = ParcelState.ACTIVE
            flag = col["screening_flag"][i]
            facts.append(
                ParcelFacts(
                    destination=str(dest or "").strip().upper(),
                    state=state,
                    promised_by=promised[i],
                    booked_service_id=col["booked_service_id"][i] or None,
                    booked_departure_utc=booked[i],
                    screening_flag=flag is True or str(flag).lower() in ("true", "1"),
                )
            )
    if errors:
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InvalidInput(
            f"{len(errors)} bad row(s), nothing decided: {'; '.join(errors[:5])}{more}",
            field="file",
        )
    scans = [Scan(num, t) for num, t in zip(numbers, times, strict=True) if t is not None]
    return scans, facts


def write_decisions(path: Path, columns: dict[str, list[Any]]) -> None:
    """Write decision rows as CSV or Parquet, by the file's suffix."""
    # Times go in as epoch microseconds: polars converts Python datetimes one by one, slowly.
    data: dict[str, Any] = {}
    for name, values in columns.items():
        if name in _TIME_COLUMNS:
            seconds = pl.Series(
                name,
                [None if v is None else round(v.timestamp() * 1_000_000) for v in values],
                dtype=pl.Int64,
            )
            data[name] = pl.from_epoch(seconds, "us").dt.replace_time_zone("UTC")
        else:
            data[name] = values
    frame = pl.DataFrame(data)
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(path)
    elif path.suffix.lower() == ".csv":
        times = [c for c, t in frame.schema.items() if isinstance(t, pl.Datetime)]
        frame.with_columns(pl.col(times).dt.strftime("%Y-%m-%dT%H:%M:%SZ")).write_csv(path)
    else:
        raise InvalidInput("must be a .csv or .parquet file", field="out")

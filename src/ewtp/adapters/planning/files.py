"""Read forecast and candidate files (CSV or Parquet) and scenario JSON; write forecasts.

Every cell is handed to the domain as text (Parquet timestamps as aware datetimes), so
the one parser in `domain/planning` judges every value and names its row and column.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import polars as pl

from ewtp.domain.errors import InvalidInput
from ewtp.domain.planning.forecast import FORECAST_COLUMNS, ForecastRow, forecast_records

__all__ = ["SAMPLES", "read_json", "read_rows", "write_forecast"]

#: The shipped examples: `ewtp plan capacity --forecast <SAMPLES>/forecast.csv` works as is.
SAMPLES = Path(str(resources.files("ewtp") / "data" / "planning"))


def read_rows(path: Path, required: Sequence[str], *, option: str) -> list[dict[str, Any]]:
    """Rows of a .csv or .parquet file as dicts; a missing column names the file and column."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field=option)
    try:
        if path.suffix.lower() == ".parquet":
            frame = pl.read_parquet(path)
        else:
            frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise InvalidInput(f"cannot read {path.name}: {exc}", field=option) from exc
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InvalidInput(f"{path.name} has no column {missing[0]!r}", field=option)
    return frame.to_dicts()


def read_json(path: Path, *, option: str) -> dict[str, Any]:
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}", field=option)
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name} is not JSON: {exc}", field=option) from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{path.name} must hold a JSON object", field=option)
    return data


def write_forecast(rows: Sequence[ForecastRow], path: Path) -> None:
    """Write to a temporary file and rename, so a failed write leaves no half file."""
    schema = dict.fromkeys(FORECAST_COLUMNS, pl.String)
    frame = pl.DataFrame(forecast_records(rows), schema=schema)
    tmp = path.with_name(path.name + ".part")
    if path.suffix.lower() == ".parquet":
        frame.write_parquet(tmp)
    else:
        frame.write_csv(tmp)
    tmp.replace(path)

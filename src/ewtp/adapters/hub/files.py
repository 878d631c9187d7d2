"""Read a hub model from a directory of CSV files (`data/hubs/<CODE>/` are built in)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import FILES, HubModel, Row, build_hub_model

__all__ = [
    "BUILTIN_HUBS_DIR",
    "builtin_hub_codes",
    "read_builtin_hub",
    "read_hub_dir",
    "read_hub_rows",
]

BUILTIN_HUBS_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "hubs"


def read_hub_dir(directory: Path, on: date) -> HubModel:
    """The model in `directory` as of `on`; errors name the file, line and column."""
    return build_hub_model(read_hub_rows(directory), on)


def read_hub_rows(directory: Path) -> dict[str, list[Row]]:
    """The rows of every model file, with their line numbers."""
    if not directory.is_dir():
        raise InvalidInput(f"no such directory: {directory}", field="directory")
    rows: dict[str, list[Row]] = {}
    for name in FILES:
        path = directory / name
        if not path.is_file():
            raise InvalidInput(f"missing file {path}", field=name)
        with path.open(newline="", encoding="utf-8") as handle:
            rows[name] = [Row(name, n + 2, cells) for n, cells in enumerate(csv.DictReader(handle))]
    return rows


def builtin_hub_codes() -> list[str]:
    return sorted(p.name for p in BUILTIN_HUBS_DIR.iterdir() if (p / "hub.csv").is_file())


def read_builtin_hub(code: str, on: date) -> HubModel:
    """A built-in model (LGG, HGH), or InvalidInput naming `hub`."""
    upper = code.strip().upper()
    if upper not in builtin_hub_codes():
        known = ", ".join(builtin_hub_codes())
        raise InvalidInput(f"unknown hub {code!r} (hubs with a model: {known})", field="hub")
    return read_hub_dir(BUILTIN_HUBS_DIR / upper, on)

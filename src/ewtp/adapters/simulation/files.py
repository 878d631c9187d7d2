"""Scenario files: TOML read with tomllib; a bare name is looked up among the shipped ones."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import ewtp.data
from ewtp.domain.errors import InvalidInput

__all__ = ["SHIPPED", "read_result", "read_scenario", "shipped_scenarios"]

SHIPPED = Path(ewtp.data.__file__).resolve().parent / "simulation"


def shipped_scenarios() -> list[str]:
    return sorted(p.name for p in SHIPPED.glob("*.toml"))


def read_scenario(path: Path) -> dict[str, Any]:
    """The TOML document at `path`, or of the shipped scenario of that name."""
    found = path if path.is_file() else SHIPPED / path.name
    if not found.is_file():
        raise InvalidInput(
            f"no such scenario file: {path} (shipped: {', '.join(shipped_scenarios())})",
            field="scenario",
        )
    try:
        return tomllib.loads(found.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{found}: not valid TOML ({exc})", field="scenario") from None


def read_result(path: Path, name: str) -> dict[str, Any]:
    """A run's result.json (or the folder holding it)."""
    target = path / "result.json" if path.is_dir() else path
    try:
        loaded = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InvalidInput(
            f"cannot read a simulation result from {path}: {exc}", field=name
        ) from None
    if not isinstance(loaded, dict):
        raise InvalidInput(f"{path} is not a simulation result", field=name)
    return loaded

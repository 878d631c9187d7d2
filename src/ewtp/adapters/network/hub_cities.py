"""Hub code -> city name, from the airportsdata IATA table (hubs are airports)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import airportsdata

__all__ = ["hub_city"]


@lru_cache(maxsize=1)
def _airports() -> dict[str, Any]:
    table: dict[str, Any] = airportsdata.load("IATA")
    return table


def hub_city(code: str) -> str | None:
    """The city of an IATA hub code (LGG -> Liege), or None for a non-airport hub."""
    found = _airports().get(code.upper())
    return str(found["city"]) if found and found.get("city") else None

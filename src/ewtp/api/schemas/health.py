"""The health answer: version, database reachability and the customs exchange rates' age."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel

__all__ = ["FxHealth", "HealthPublic"]


class FxHealth(BaseModel):
    status: Literal["ok", "degraded"]
    newest_rate_date: date | None
    age_days: int | None
    max_age_days: int
    needed_from: date  # the ECB publication today's EU consignments need (Art. 146)
    fix: str | None


class HealthPublic(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    database: str
    version: str
    fx: FxHealth | None = None

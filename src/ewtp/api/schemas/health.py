"""The health answer: version and database reachability."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

__all__ = ["HealthPublic"]


class HealthPublic(BaseModel):
    status: Literal["ok", "unavailable"]
    database: str
    version: str

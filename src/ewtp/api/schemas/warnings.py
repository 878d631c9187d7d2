"""Warnings as merchants see them on quote options, shipments and bulk rows."""

from __future__ import annotations

from pydantic import BaseModel

from ewtp.domain.merchant.quotes import Notice

__all__ = ["WarningPublic", "warnings_public"]


class WarningPublic(BaseModel):
    """Something to know before shipping, e.g. `battery_section_ii` (mark required)."""

    code: str
    message: str
    field: str | None = None


def warnings_public(found: tuple[Notice, ...]) -> list[WarningPublic]:
    return [WarningPublic(code=w.code, message=w.message, field=w.field) for w in found]

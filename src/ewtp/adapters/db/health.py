"""A cheap database round trip that turns failure into one readable line."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

__all__ = ["probe_database"]


def probe_database(engine: Engine) -> str | None:
    """None when `SELECT 1` succeeds, else a one-line reason."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", None) or exc
        lines = [line.strip() for line in str(orig).splitlines() if line.strip()]
        return lines[0] if lines else type(orig).__name__
    return None

"""Hub models: loaded ones in `hub_models`, else the package's built-in files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.hub import HubModelRow
from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR, builtin_hub_codes, read_hub_rows
from ewtp.domain.hub import Row
from ewtp.services.hub.ports import AbstractHubModels
from ewtp.services.hub.show import rows_digest

__all__ = ["SqlAlchemyHubModels"]


@lru_cache(maxsize=16)
def _builtin(code: str) -> tuple[str, dict[str, list[Row]]] | None:
    if code not in builtin_hub_codes():
        return None
    rows = read_hub_rows(Path(BUILTIN_HUBS_DIR / code))
    return rows_digest(rows), rows


def _from_json(data: dict[str, list[dict[str, object]]]) -> dict[str, list[Row]]:
    return {
        name: [Row(name, int(str(r["line"])), dict(r["cells"])) for r in rows]  # type: ignore[call-overload]
        for name, rows in data.items()
    }


class SqlAlchemyHubModels(AbstractHubModels):
    def __init__(self, session: Session) -> None:
        self._session = session

    def rows(self, code: str) -> tuple[str, Mapping[str, Sequence[Row]]] | None:
        row = self._session.get(HubModelRow, code)
        if row is not None:
            return row.digest, _from_json(row.rows)
        return _builtin(code)

    def digest(self, code: str) -> str | None:
        found = self._session.scalar(select(HubModelRow.digest).where(HubModelRow.code == code))
        if found is not None:
            return found
        builtin = _builtin(code)
        return builtin[0] if builtin else None

    def save(self, code: str, digest: str, rows: Mapping[str, Sequence[Row]], at: datetime) -> None:
        data = {
            name: [{"line": r.line, "cells": dict(r.cells)} for r in file_rows]
            for name, file_rows in rows.items()
        }
        existing = self._session.get(HubModelRow, code)
        if existing is None:
            self._session.add(HubModelRow(code=code, digest=digest, rows=data, loaded_at=at))
        else:
            existing.digest, existing.rows, existing.loaded_at = digest, data, at
        self._session.flush()

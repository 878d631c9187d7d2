"""Use cases: show a hub's model, load another one (validated first; all or nothing)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from ewtp.domain.hub import HubModel, Row, build_hub_model
from ewtp.services.hub.context import hub_model
from ewtp.services.hub.ports import HubUnitOfWork

__all__ = ["load_hub", "rows_digest", "show_hub"]


def show_hub(uow: HubUnitOfWork, hub: str, on: date) -> HubModel:
    """The model of `hub` in force on `on` (a loaded one, else the built-in one)."""
    return hub_model(uow, hub, on)[1]


def rows_digest(rows: Mapping[str, Sequence[Row]]) -> str:
    """A content digest of a model's rows; caches key on it."""
    body = {name: [dict(r.cells) for r in rows[name]] for name in sorted(rows)}
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def load_hub(
    uow: HubUnitOfWork, rows: Mapping[str, Sequence[Row]], on: date, now: datetime
) -> HubModel:
    """Validate the rows as of `on`, then store them in place of the hub's model."""
    model = build_hub_model(rows, on)
    with uow:
        uow.models.save(model.code, rows_digest(rows), rows, now)
        uow.commit()
    return model

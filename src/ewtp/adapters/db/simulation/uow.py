"""Simulation runs in `simulation_runs`, behind the simulation unit of work."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.simulation import SimulationRunRow
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.services.simulation.ports import (
    AbstractSimulationRuns,
    SimulationRun,
    SimulationUnitOfWork,
)

__all__ = ["SqlAlchemySimulationRuns", "SqlAlchemySimulationUnitOfWork"]

_FIELDS = (
    "id",
    "account_id",
    "status",
    "scenario",
    "created_at",
    "request",
    "result",
    "message",
    "finished_at",
)


def _run(row: SimulationRunRow) -> SimulationRun:
    return SimulationRun(**{f: getattr(row, f) for f in _FIELDS})


class SqlAlchemySimulationRuns(AbstractSimulationRuns):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, run: SimulationRun) -> None:
        self.session.add(SimulationRunRow(**{f: getattr(run, f) for f in _FIELDS}))

    def get(self, run_id: str) -> SimulationRun | None:
        row = self.session.get(SimulationRunRow, run_id)
        return _run(row) if row else None

    def update(self, run: SimulationRun) -> None:
        row = self.session.get(SimulationRunRow, run.id)
        if row is None:
            return
        for f in ("status", "result", "message", "finished_at"):
            setattr(row, f, getattr(run, f))

    def recent(self, limit: int) -> list[SimulationRun]:
        rows = self.session.scalars(
            select(SimulationRunRow)
            .order_by(SimulationRunRow.created_at.desc(), SimulationRunRow.id)
            .limit(limit)
        )
        return [_run(r) for r in rows]

    def fail_unfinished(self, message: str, now: datetime) -> int:
        result = self.session.execute(
            update(SimulationRunRow)
            .where(SimulationRunRow.status.in_(("queued", "running")))
            .values(status="failed", message=message, finished_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlAlchemySimulationUnitOfWork(SqlAlchemyUnitOfWork, SimulationUnitOfWork):
    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.runs = SqlAlchemySimulationRuns(session)

"""The staging table of a scan batch: `tracking_stage`, per connection, emptied at commit.

A batch is held there for the statements that lock, insert and fold it. On PostgreSQL it
is loaded by one COPY of headerless CSV (columns `STAGED_COLUMNS`, times ISO 8601 with
their offset, missing values empty); a batch that can write that CSV itself (the polars
frame, at C speed: `CsvBatch`) does, any other is written here from its events. SQLite
takes one executemany.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import Column, Integer, MetaData, String, Table, text
from sqlalchemy.orm import Session

from ewtp.adapters.db.types import UtcDateTime
from ewtp.domain.tracking.timeline import Milestone, ScanEvent
from ewtp.services.tracking.ports import ScanBatch

__all__ = ["STAGE", "STAGED_COLUMNS", "CsvBatch", "stage", "staged_csv"]

# A scan's columns, then its position in the batch.
STAGED_COLUMNS = (
    "tracking_number", "code", "milestone", "reason", "occurred_at", "hub", "description",
    "source_event_id", "seq",
)  # fmt: skip
STAGE = Table(
    "tracking_stage",
    MetaData(),
    Column("tracking_number", String(13)),
    Column("code", String(40)),
    Column("milestone", String(20)),
    Column("reason", String(40)),
    Column("occurred_at", UtcDateTime()),
    Column("hub", String(8)),
    Column("description", String(300)),
    Column("source_event_id", String(100)),
    Column("seq", Integer()),
)
_DDL = {
    "postgresql": "CREATE TEMP TABLE IF NOT EXISTS tracking_stage ("
    "tracking_number varchar(13), code varchar(40), milestone varchar(20), reason varchar(40), "
    "occurred_at timestamptz, hub varchar(8), description varchar(300), "
    "source_event_id varchar(100), seq integer) ON COMMIT DELETE ROWS",
    "sqlite": "CREATE TEMP TABLE IF NOT EXISTS tracking_stage (tracking_number, code,"
    " milestone, reason, occurred_at, hub, description, source_event_id, seq)",
}
# `.value` of an Enum is a Python-level call; a plain dict is far cheaper per row.
_TEXT = {m: m.value for m in Milestone}
_Row = tuple[str, str, str, str | None, datetime, str, str | None, str | None, int]


@runtime_checkable
class CsvBatch(Protocol):
    """A batch that writes itself as headerless CSV with the named columns, for COPY."""

    def to_csv(self, columns: Sequence[str]) -> bytes: ...


def stage(session: Session, scans: ScanBatch) -> None:
    """Hold `scans` in `tracking_stage` (emptied first) in the session's transaction."""
    conn = session.connection()
    dialect = conn.dialect.name
    conn.execute(text(_DDL[dialect]))
    conn.execute(text("DELETE FROM tracking_stage"))
    if dialect == "postgresql":
        raw: Any = conn.connection.driver_connection
        with (
            raw.cursor() as cur,
            cur.copy(
                f"COPY tracking_stage ({', '.join(STAGED_COLUMNS)}) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
        ):
            copy.write(staged_csv(scans))
        return
    rows = [dict(zip(STAGED_COLUMNS, _row(seq, e), strict=True)) for seq, e in scans.events()]
    conn.execute(STAGE.insert(), rows)


def staged_csv(scans: ScanBatch) -> bytes:
    """The batch as COPY reads it into `tracking_stage`."""
    if isinstance(scans, CsvBatch):
        return scans.to_csv(STAGED_COLUMNS)
    out = io.StringIO()
    # csv writes a datetime as `str()`: ISO 8601 with a space, which COPY reads.
    csv.writer(out, lineterminator="\n").writerows(_row(seq, e) for seq, e in scans.events())
    return out.getvalue().encode()


def _row(seq: int, e: ScanEvent) -> _Row:
    return (e.tracking_number, e.code, _TEXT[e.milestone], e.reason, e.occurred_at, e.hub,
            e.description, e.source_event_id, seq)  # fmt: skip

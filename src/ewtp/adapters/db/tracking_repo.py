"""SQL storage of scans, set-based for hub scale.

A batch goes into a per-connection temporary staging table (COPY on PostgreSQL, one
executemany on SQLite), then one `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING`
moves the rows the unique indexes accept. Duplicates, inside a batch or across
concurrent batches, are therefore decided by the database, not by the process.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    Column,
    MetaData,
    String,
    Table,
    any_,
    bindparam,
    func,
    select,
    text,
    true,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import ShipmentTrackingRow, TrackingEventRow
from ewtp.adapters.db.types import UtcDateTime
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking import Milestone, ScanEvent
from ewtp.services.tracking_ports import (
    AbstractTrackingRepository,
    EtaState,
    ShipmentRef,
    StoredEvent,
)

__all__ = ["STAGE_COLUMNS", "SqlAlchemyTrackingRepository"]

STAGE_COLUMNS = (
    "tracking_number", "code", "milestone", "reason", "occurred_at", "hub", "description",
    "source_event_id",
)  # fmt: skip
_stage = Table(
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
)
_STAGE_DDL = {
    "postgresql": "CREATE TEMP TABLE IF NOT EXISTS tracking_stage ("
    "tracking_number varchar(13), code varchar(40), milestone varchar(20), reason varchar(40), "
    "occurred_at timestamptz, hub varchar(8), description varchar(300), "
    "source_event_id varchar(100)) ON COMMIT DELETE ROWS",
    "sqlite": "CREATE TEMP TABLE IF NOT EXISTS tracking_stage ("
    "tracking_number, code, milestone, reason, occurred_at, hub, description, source_event_id)",
}
SQLITE_CHUNK = 5_000
EVENTS = cast(Table, TrackingEventRow.__table__)
SHIPMENTS = cast(Table, ShipmentRow.__table__)
E = EVENTS.c


class SqlAlchemyTrackingRepository(AbstractTrackingRepository):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def _in(self, column: Any, values: Sequence[str]) -> Any:
        if self._dialect == "postgresql":
            return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(String)))
        return column.in_(values)

    def _chunks(self, values: Sequence[str]) -> list[Sequence[str]]:
        size = (len(values) or 1) if self._dialect == "postgresql" else SQLITE_CHUNK
        return [values[i : i + size] for i in range(0, len(values), size)]

    def lock_shipments(self, tracking_numbers: Sequence[str]) -> dict[str, ShipmentRef]:
        found: dict[str, ShipmentRef] = {}
        for chunk in self._chunks(tracking_numbers):
            query = select(ShipmentRow).where(self._in(ShipmentRow.tracking_number, chunk))
            query = query.order_by(ShipmentRow.id).with_for_update(of=ShipmentRow)
            for row in self._session.scalars(query):
                found[row.tracking_number or ""] = _ref(row)
        return found

    def insert_new(self, events: Sequence[ScanEvent], received_at: datetime) -> list[StoredEvent]:
        conn = self._session.connection()
        conn.execute(text(_STAGE_DDL[self._dialect]))
        conn.execute(text("DELETE FROM tracking_stage"))
        rows = [
            (e.tracking_number, e.code, e.milestone.value, e.reason, e.occurred_at, e.hub,
             e.description, e.source_event_id)
            for e in events
        ]  # fmt: skip
        if self._dialect == "postgresql":
            raw: Any = conn.connection.driver_connection
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY tracking_stage ({', '.join(STAGE_COLUMNS)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            conn.execute(_stage.insert(), [dict(zip(STAGE_COLUMNS, r, strict=True)) for r in rows])
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        source = select(*_stage.c, bindparam("received_at", received_at, UtcDateTime())).where(
            true()
        )
        statement = (
            dialect_insert(EVENTS)
            .from_select([*STAGE_COLUMNS, "received_at"], source)
            .on_conflict_do_nothing()
            .returning(E.id, *(E[c] for c in STAGE_COLUMNS))
        )
        return [StoredEvent(r.id, _event(r), None) for r in conn.execute(statement).all()]

    def timelines(self, tracking_numbers: Sequence[str]) -> dict[str, list[StoredEvent]]:
        found: dict[str, list[StoredEvent]] = defaultdict(list)
        for chunk in self._chunks(tracking_numbers):
            query = select(E.id, *(E[c] for c in STAGE_COLUMNS), E.anomaly).where(
                self._in(E.tracking_number, chunk)
            )
            for row in self._session.execute(query).all():
                found[row.tracking_number].append(StoredEvent(row.id, _event(row), row.anomaly))
        return found

    def last_event_times(self, tracking_numbers: Sequence[str]) -> dict[str, datetime]:
        found: dict[str, datetime] = {}
        for chunk in self._chunks(tracking_numbers):
            query = (
                select(E.tracking_number, func.max(E.occurred_at))
                .where(self._in(E.tracking_number, chunk))
                .group_by(E.tracking_number)
            )
            for number, last in self._session.execute(query).all():
                found[number] = _aware(last)
        return found

    def set_statuses(self, changes: dict[str, ShipmentStatus], at: datetime) -> None:
        if self._dialect == "postgresql":
            self._session.execute(
                text(
                    "UPDATE shipments SET status = v.status, updated_at = :at "
                    "FROM unnest(CAST(:ids AS varchar[]), CAST(:statuses AS varchar[])) "
                    "AS v(id, status) WHERE shipments.id = v.id"
                ),
                {"ids": list(changes), "statuses": [s.value for s in changes.values()], "at": at},
            )
            return
        table = SHIPMENTS
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(status=bindparam("b_status"), updated_at=bindparam("b_at", type_=UtcDateTime()))
        )
        params = [{"b_id": k, "b_status": v.value, "b_at": at} for k, v in changes.items()]
        self._session.connection().execute(statement, params)

    def set_anomalies(self, changes: dict[int, str | None]) -> None:
        table = EVENTS
        statement = (
            update(table).where(table.c.id == bindparam("b_id")).values(anomaly=bindparam("b_a"))
        )
        params = [{"b_id": k, "b_a": v} for k, v in changes.items()]
        self._session.connection().execute(statement, params)

    def get_shipment(
        self, *, shipment_id: str | None = None, number: str | None = None
    ) -> ShipmentRef | None:
        query = select(ShipmentRow)
        if shipment_id is not None:
            query = query.where(ShipmentRow.id == shipment_id)
        if number is not None:
            query = query.where(ShipmentRow.tracking_number == number)
        row = self._session.scalars(query).first()
        return _ref(row) if row and row.tracking_number else None

    def get_etas(self, shipment_ids: Sequence[str]) -> dict[str, EtaState]:
        found: dict[str, EtaState] = {}
        for chunk in self._chunks(shipment_ids):
            query = select(ShipmentTrackingRow).where(
                self._in(ShipmentTrackingRow.shipment_id, chunk)
            )
            for row in self._session.scalars(query):
                found[row.shipment_id] = EtaState(
                    shipment_id=row.shipment_id,
                    eta_at=row.eta_at,
                    eta_from_hub=row.eta_from_hub,
                    planned_hubs=tuple(row.planned_hubs or ()),
                    promise_at_risk=row.promise_at_risk,
                )
        return found

    def save_etas(self, states: Sequence[EtaState], at: datetime) -> None:
        if not states:
            return
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = dialect_insert(cast(Table, ShipmentTrackingRow.__table__))
        statement = statement.on_conflict_do_update(
            index_elements=["shipment_id"],
            set_={
                c: statement.excluded[c]
                for c in ("eta_at", "eta_from_hub", "planned_hubs", "promise_at_risk", "updated_at")
            },
        )
        rows = [
            {
                "shipment_id": s.shipment_id,
                "eta_at": s.eta_at,
                "eta_from_hub": s.eta_from_hub,
                "planned_hubs": list(s.planned_hubs),
                "promise_at_risk": s.promise_at_risk,
                "updated_at": at,
            }
            for s in states
        ]
        self._session.connection().execute(statement, rows)


def _aware(value: Any) -> datetime:
    """max() loses the column type on SQLite, so re-apply UTC to the naive text it gives."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _ref(row: ShipmentRow) -> ShipmentRef:
    return ShipmentRef(
        id=row.id,
        account_id=row.account_id,
        tracking_number=row.tracking_number or "",
        status=ShipmentStatus(row.status),
        origin_hub=row.origin_hub,
        destination_country=row.destination_country,
        promised_by=row.promised_by,
        ready_at=row.ready_at,
    )


def _event(row: Any) -> ScanEvent:
    return ScanEvent(
        tracking_number=row.tracking_number,
        code=row.code,
        milestone=Milestone(row.milestone),
        reason=row.reason,
        occurred_at=row.occurred_at,
        hub=row.hub,
        description=row.description,
        source_event_id=row.source_event_id,
    )

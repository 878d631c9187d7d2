"""SQL storage of scans, set-based for hub scale.

`fold_batch` puts a batch into a per-connection temporary staging table (`staging.py`),
locks its shipments, then one `INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING` moves
the rows the unique indexes accept. Duplicates, inside a batch or across concurrent
batches, are therefore decided by the database, not by the process. On PostgreSQL the
common case is then folded in SQL too (`set_fold.py`); otherwise every touched shipment
is left to the use case's fold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    String,
    Table,
    any_,
    bindparam,
    case,
    func,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import (
    RejectedScanRow,
    ShipmentTrackingRow,
    TrackingEventRow,
)
from ewtp.adapters.db.tracking.scan_rows import MILESTONE_OF, scan_event
from ewtp.adapters.db.tracking.set_fold import PgSetFold
from ewtp.adapters.db.tracking.staging import STAGE, STAGED_COLUMNS, stage
from ewtp.adapters.db.types import UtcDateTime
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.scans import Rejection
from ewtp.domain.tracking.timeline import ScanEvent
from ewtp.services.tracking.ports import (
    AbstractTrackingRepository,
    Estimator,
    EtaState,
    FoldResult,
    FoldRules,
    ScanBatch,
    ScanFacts,
    ShipmentRef,
    StoredEvent,
    Subscriptions,
)

__all__ = ["STAGE_COLUMNS", "SqlAlchemyTrackingRepository"]

STAGE_COLUMNS = STAGED_COLUMNS[:-1]  # a scan's columns, without its position "seq"
SQLITE_CHUNK = 5_000
EVENTS = cast(Table, TrackingEventRow.__table__)
SHIPMENTS = cast(Table, ShipmentRow.__table__)
DETAILS = cast(Table, ShipmentDetailRow.__table__)
E = EVENTS.c
STATE = cast(Table, ShipmentTrackingRow.__table__)
SHIP_COLUMNS = tuple(
    SHIPMENTS.c[name]
    for name in ("id", "account_id", "tracking_number", "status", "origin_hub",
                 "destination_country", "promised_by")
)  # fmt: skip


class SqlAlchemyTrackingRepository(AbstractTrackingRepository):
    """Scans in SQL; on PostgreSQL the common case is folded in SQL too (`PgSetFold`)."""

    def __init__(self, session: Session, *, set_fold: bool = True) -> None:
        """`set_fold=False` keeps every batch on the Python fold (tests compare the two)."""
        self._session = session
        self._dialect = session.get_bind().dialect.name
        self._set_fold = PgSetFold(session) if set_fold and self._dialect == "postgresql" else None

    def fold_batch(
        self,
        scans: ScanBatch,
        rules: FoldRules,
        at: datetime,
        *,
        subscriptions: Subscriptions,
        eta: Estimator | None,
    ) -> FoldResult:
        if self._set_fold is not None:
            return self._set_fold.fold(scans, rules, at, subscriptions=subscriptions, eta=eta)
        events = scans.events()
        stage(self._session, scans)
        locked = self._lock_staged()
        unknown = [(i, e.tracking_number) for i, e in events if e.tracking_number not in locked]
        inserted = self._insert_staged(at) if len(unknown) < len(events) else []
        left = {r.event.tracking_number: locked[r.event.tracking_number] for r in inserted}
        return FoldResult(
            unknown=unknown,
            accepted=len(inserted),
            duplicates=len(events) - len(unknown) - len(inserted),
            left=left,
            left_events=inserted,
        )

    def _in(self, column: Any, values: Sequence[str]) -> Any:
        if self._dialect == "postgresql":
            return column == any_(func.string_to_array(bindparam(None, _joined(values)), ","))
        return column.in_(values)

    def _chunks(self, values: Sequence[str]) -> list[Sequence[str]]:
        size = (len(values) or 1) if self._dialect == "postgresql" else SQLITE_CHUNK
        return [values[i : i + size] for i in range(0, len(values), size)]

    def scan_facts(self, tracking_numbers: Sequence[str]) -> dict[str, ScanFacts]:
        # The booking time is the merchant platform's column; a core row without details
        # (a shipment made by another system) simply has none.
        c, d = SHIPMENTS.c, DETAILS.c
        found: dict[str, ScanFacts] = {}
        for chunk in self._chunks(tracking_numbers):
            query = (
                select(c.tracking_number, c.status, c.destination_country, d.booked_at)
                .select_from(SHIPMENTS.outerjoin(DETAILS, d.shipment_id == c.id))
                .where(self._in(c.tracking_number, chunk))
            )
            for number, status, country, booked_at in self._session.execute(query):
                found[number] = ScanFacts(ShipmentStatus(status), country, booked_at)
        return found

    def _lock_staged(self) -> dict[str, tuple[ShipmentRef, datetime | None]]:
        """Number -> (shipment, latest stored scan time) of the staged batch's shipments,
        locked; numbers missing from the result are unknown."""
        c = SHIPMENTS.c
        staged = select(STAGE.c.tracking_number)
        # The row lock returns each row at its newest version, `last_scan_at` with it.
        locked = (
            select(*SHIP_COLUMNS, c.last_scan_at)
            .where(c.tracking_number.in_(staged))
            .order_by(c.id)
            .with_for_update(of=SHIPMENTS)
        )
        found: dict[str, tuple[ShipmentRef, datetime | None]] = {}
        for row in self._session.execute(locked):
            id_, account, number, status, origin, country, promised, last_at = tuple(row)
            ref = ShipmentRef(
                id_, account, number, ShipmentStatus(status), origin, country, promised
            )
            found[number] = (ref, last_at)
        return found

    def _insert_staged(self, received_at: datetime) -> list[StoredEvent]:
        """Store the staged scans of known shipments, skipping duplicates; returns the new."""
        conn = self._session.connection()
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        known = select(SHIPMENTS.c.tracking_number).where(
            SHIPMENTS.c.tracking_number == STAGE.c.tracking_number
        )
        source = select(
            *(STAGE.c[c] for c in STAGE_COLUMNS),
            bindparam("received_at", received_at, UtcDateTime()),
        ).where(known.exists())
        statement = (
            dialect_insert(EVENTS)
            .from_select([*STAGE_COLUMNS, "received_at"], source)
            .on_conflict_do_nothing()
            .returning(E.id, *(E[c] for c in STAGE_COLUMNS))
        )
        of = MILESTONE_OF
        return [
            StoredEvent(
                id_, ScanEvent(number, code, of[milestone], reason, at, hub, text, source), None
            )
            for id_, number, code, milestone, reason, at, hub, text, source in conn.execute(
                statement
            ).all()
        ]

    def timelines(self, tracking_numbers: Sequence[str]) -> dict[str, list[StoredEvent]]:
        found: dict[str, list[StoredEvent]] = defaultdict(list)
        for chunk in self._chunks(tracking_numbers):
            query = select(E.id, *(E[c] for c in STAGE_COLUMNS), E.anomaly).where(
                self._in(E.tracking_number, chunk)
            )
            for row in self._session.execute(query).all():
                found[row.tracking_number].append(StoredEvent(row.id, scan_event(row), row.anomaly))
        return found

    def save_folds(
        self, statuses: dict[str, ShipmentStatus], last_scans: dict[str, datetime], at: datetime
    ) -> None:
        ids = list(statuses.keys() | last_scans.keys())
        if self._dialect == "postgresql":
            # Empty text stands for "unchanged" (ids, statuses and ISO times hold no comma).
            self._session.execute(
                text(
                    "UPDATE shipments s SET status = coalesce(v.status, s.status),"
                    " last_scan_at = coalesce(v.last::timestamptz, s.last_scan_at),"
                    " updated_at = CASE WHEN v.status IS NULL THEN s.updated_at ELSE :at END"
                    " FROM unnest(string_to_array(:ids, ','), string_to_array(:statuses, ',', ''),"
                    " string_to_array(:lasts, ',', '')) AS v(id, status, last) WHERE s.id = v.id"
                ),
                {
                    "ids": _joined(ids),
                    "statuses": _joined([statuses[i].value if i in statuses else "" for i in ids]),
                    "lasts": _joined(
                        [last_scans[i].isoformat() if i in last_scans else "" for i in ids]
                    ),
                    "at": at,
                },
            )
            return
        table = SHIPMENTS
        changed = bindparam("b_status", type_=String())
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values(
                status=func.coalesce(changed, table.c.status),
                last_scan_at=func.coalesce(
                    bindparam("b_last", type_=UtcDateTime()), table.c.last_scan_at
                ),
                updated_at=case(
                    (changed.is_(None), table.c.updated_at),
                    else_=bindparam("b_at", type_=UtcDateTime()),
                ),
            )
        )
        params = [
            {
                "b_id": i,
                "b_status": statuses[i].value if i in statuses else None,
                "b_last": last_scans.get(i),
                "b_at": at,
            }
            for i in ids
        ]
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
        query = select(*SHIP_COLUMNS, SHIPMENTS.c.ready_at, DETAILS.c.booked_at).select_from(
            SHIPMENTS.outerjoin(DETAILS, DETAILS.c.shipment_id == SHIPMENTS.c.id)
        )
        if shipment_id is not None:
            query = query.where(SHIPMENTS.c.id == shipment_id)
        if number is not None:
            query = query.where(SHIPMENTS.c.tracking_number == number)
        row = self._session.execute(query).first()
        return _ref(row) if row and row.tracking_number else None

    def get_etas(self, shipment_ids: Sequence[str]) -> dict[str, EtaState]:
        found: dict[str, EtaState] = {}
        for chunk in self._chunks(shipment_ids):
            query = select(*STATE.c).where(self._in(STATE.c.shipment_id, chunk))
            for row in self._session.execute(query).all():
                found[row.shipment_id] = EtaState(
                    shipment_id=row.shipment_id,
                    eta_at=row.eta_at,
                    eta_from_hub=row.eta_from_hub,
                    planned_hubs=tuple(row.planned_hubs or ()),
                    promise_at_risk=row.promise_at_risk,
                )
        return found

    def at_risk(self, shipment_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in self._chunks(shipment_ids):
            query = select(STATE.c.shipment_id).where(
                self._in(STATE.c.shipment_id, chunk), STATE.c.promise_at_risk.is_(True)
            )
            found.update(self._session.scalars(query).all())
        return found

    def record_rejections(self, rejections: Sequence[Rejection], at: datetime) -> None:
        rows = [
            {"received_at": at, "tracking_number": str(r.tracking_number or "")[:40],
             "field": r.field[:60], "code": r.code[:40], "reason": r.reason[:300]}
            for r in rejections
        ]  # fmt: skip
        if rows:
            self._session.execute(cast(Table, RejectedScanRow.__table__).insert(), rows)

    def save_etas(self, states: Sequence[EtaState], at: datetime) -> None:
        if not states:
            return
        if self._dialect == "postgresql":
            self._save_etas_pg(states, at)
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

    def _save_etas_pg(self, states: Sequence[EtaState], at: datetime) -> None:
        """One upsert from arrays: far cheaper than a statement per row at 10k rows."""
        self._session.execute(
            text(
                "INSERT INTO shipment_tracking (shipment_id, eta_at, eta_from_hub, planned_hubs,"
                " promise_at_risk, updated_at) SELECT v.id, CAST(NULLIF(v.eta, '') AS timestamptz), NULLIF(v.hub, ''),"
                " to_json(string_to_array(v.hubs, '>')), CAST(v.risk AS boolean), :at"
                " FROM unnest(string_to_array(:ids, ','), string_to_array(:etas, ','),"
                " string_to_array(:hubs, ','), string_to_array(:planned, ','),"
                " string_to_array(:risks, ',')) AS v(id, eta, hub, hubs, risk)"
                " ON CONFLICT (shipment_id) DO UPDATE SET"
                " eta_at = excluded.eta_at, eta_from_hub = excluded.eta_from_hub,"
                " planned_hubs = excluded.planned_hubs,"
                " promise_at_risk = excluded.promise_at_risk, updated_at = excluded.updated_at"
            ),
            {
                "ids": _joined([s.shipment_id for s in states]),
                "etas": _joined([s.eta_at.isoformat() if s.eta_at else "" for s in states]),
                "hubs": _joined([s.eta_from_hub or "" for s in states]),
                "planned": _joined([">".join(s.planned_hubs) for s in states]),
                "risks": _joined(["t" if s.promise_at_risk else "f" for s in states]),
                "at": at,
            },
        )


def _joined(values: Iterable[str]) -> str:
    """One comma-separated text parameter: psycopg dumps it at C speed, unlike a 10k array.

    Only for values that cannot contain a comma (ids, S10 numbers, codes, ISO times).
    """
    return ",".join(values)


def _ref(row: Any) -> ShipmentRef:
    return ShipmentRef(
        id=row.id,
        account_id=row.account_id,
        tracking_number=row.tracking_number or "",
        status=ShipmentStatus(row.status),
        origin_hub=row.origin_hub,
        destination_country=row.destination_country,
        promised_by=row.promised_by,
        ready_at=getattr(row, "ready_at", None),
        booked_at=getattr(row, "booked_at", None),
    )

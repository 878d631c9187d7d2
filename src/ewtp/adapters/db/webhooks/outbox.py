"""The outbox in SQL: rows written in the caller's session, so they share its transaction."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVarTuple, cast

from sqlalchemy import Select, Table, insert, select, update
from sqlalchemy.orm import Session

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.tables.tracking import OutboxEventRow, TrackingEventRow
from ewtp.adapters.db.tracking.scan_rows import scan_event
from ewtp.domain.webhooks.model import EVENT_TYPES
from ewtp.services.tracking.ports import tracking_update
from ewtp.services.webhooks.outbox import AbstractOutbox, NewOutboxEvent, OutboxEvent

__all__ = ["EVENT_ID_SQL", "SqlAlchemyOutbox", "outbox_event", "with_scans"]

Ts = TypeVarTuple("Ts")

# Event ids are "evt_" and 32 hex digits. Rows written one use case at a time take a random
# UUID's digits; rows written set-based on PostgreSQL number themselves from a cached
# sequence, which keeps the primary-key inserts at the index's right edge (see migration
# tracking_0002). The two never collide: a UUID4's 13th digit is always 4, a sequence
# value's is 0 below 16**19.
EVENT_ID_PREFIX = "evt_"
EVENT_ID_SQL = f"'{EVENT_ID_PREFIX}' || lpad(to_hex(nextval('outbox_event_seq')), 32, '0')"
COPY_THRESHOLD = 50  # below this, one multi-row INSERT is as quick as COPY
COLUMNS = (
    "id", "account_id", "event_type", "shipment_id", "payload", "occurred_at", "created_at",
    "dispatched_at",
)  # fmt: skip


class SqlAlchemyOutbox(AbstractOutbox):
    def __init__(self, session: Session, clock: Callable[[], datetime] = utcnow) -> None:
        self._session = session
        self._clock = clock

    def add(
        self,
        *,
        account_id: str,
        event_type: str,
        shipment_id: str,
        payload: dict[str, Any],
        occurred_at: datetime,
    ) -> str:
        return self.add_many(
            [NewOutboxEvent(account_id, event_type, shipment_id, payload, occurred_at)]
        )[0]

    def add_many(self, events: Sequence[NewOutboxEvent]) -> list[str]:
        now = self._clock()
        rows = []
        entropy = os.urandom(16 * len(events))  # one system call for the batch's ids
        for i, event in enumerate(events):
            if event.event_type not in EVENT_TYPES:
                raise ValueError(f"unknown webhook event type {event.event_type!r}")
            rows.append(
                {
                    "id": EVENT_ID_PREFIX
                    + uuid.UUID(bytes=entropy[16 * i : 16 * i + 16], version=4).hex,
                    "account_id": event.account_id,
                    "event_type": event.event_type,
                    "shipment_id": event.shipment_id,
                    "payload": event.payload,
                    "occurred_at": event.occurred_at,
                    "created_at": now,
                    "dispatched_at": None,
                }
            )
        conn = self._session.connection()
        if len(rows) >= COPY_THRESHOLD and conn.dialect.name == "postgresql":
            raw: Any = conn.connection.driver_connection
            dumps = json.JSONEncoder(separators=(",", ":")).encode
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY outbox_events ({', '.join(COLUMNS)}) FROM STDIN") as copy,
            ):
                for r in rows:
                    copy.write_row(
                        (r["id"], r["account_id"], r["event_type"], r["shipment_id"],
                         dumps(r["payload"]), r["occurred_at"], now, None)
                    )  # fmt: skip
        elif rows:
            conn.execute(insert(cast(Table, OutboxEventRow.__table__)), rows)
        return [str(r["id"]) for r in rows]

    def claim_undispatched(self, limit: int) -> list[OutboxEvent]:
        query = (
            with_scans(select(OutboxEventRow, TrackingEventRow))
            .where(OutboxEventRow.dispatched_at.is_(None))
            .order_by(OutboxEventRow.created_at)
            .limit(limit)
            .with_for_update(of=OutboxEventRow, skip_locked=True)
        )
        return [outbox_event(row, scan) for row, scan in self._session.execute(query)]

    def mark_dispatched(self, event_ids: Sequence[str], at: datetime) -> None:
        self._session.execute(
            update(OutboxEventRow)
            .where(OutboxEventRow.id.in_(list(event_ids)))
            .values(dispatched_at=at)
        )


def with_scans(query: Select[*Ts]) -> Select[*Ts]:
    """`query` with the scan each by-reference outbox row names (see `outbox_event`)."""
    return query.outerjoin(
        TrackingEventRow, TrackingEventRow.id == OutboxEventRow.tracking_event_id
    )


def outbox_event(row: OutboxEventRow, scan: TrackingEventRow | None) -> OutboxEvent:
    """The event of a row; a row written by reference gets its data built from its scan."""
    payload = row.payload
    if payload is None and scan is not None:
        payload = tracking_update(
            row.shipment_id or "",
            scan.tracking_number,
            row.status or "",
            row.previous_status or "",
            [scan_event(scan)],
        )
    return OutboxEvent(
        id=row.id,
        account_id=row.account_id,
        event_type=row.event_type,
        shipment_id=row.shipment_id,
        payload=payload,
        occurred_at=row.occurred_at,
        created_at=row.created_at,
    )

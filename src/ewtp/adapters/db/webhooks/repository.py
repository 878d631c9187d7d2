"""SQL storage of webhook endpoints and deliveries, with row claiming for the worker.

`claim_due` locks the due delivery rows with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so
several workers share the queue and never send the same delivery at the same moment; the
lock lasts until the worker records the attempt and commits (a killed worker's locks die
with its connection, and the rows are simply due again). SQLite has one writer and no row
locks, so run a single worker there.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Select, Table, and_, delete, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.tracking import (
    OutboxEventRow,
    TrackingEventRow,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)
from ewtp.adapters.db.webhooks.outbox import outbox_event, with_scans
from ewtp.domain.webhooks.model import DeliveryStatus, Endpoint
from ewtp.services.webhooks.ports import AbstractWebhookRepository, Delivery, DueDelivery

__all__ = ["SqlAlchemyWebhookRepository"]

W = WebhookEndpointRow
D = WebhookDeliveryRow
EV = OutboxEventRow


class SqlAlchemyWebhookRepository(AbstractWebhookRepository):
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def add_endpoint(self, endpoint: Endpoint) -> None:
        self._session.add(
            W(
                id=endpoint.id,
                account_id=endpoint.account_id,
                url=endpoint.url,
                events=list(endpoint.events),
                secret=endpoint.secret,
                failing=endpoint.failing,
                created_at=endpoint.created_at,
            )
        )
        self._session.flush()

    def get_endpoint(self, endpoint_id: str, account_id: str) -> Endpoint | None:
        row = self._session.scalars(
            select(W).where(W.id == endpoint_id, W.account_id == account_id, W.deleted_at.is_(None))
        ).first()
        return _endpoint(row) if row else None

    def list_endpoints(self, account_id: str) -> list[Endpoint]:
        rows = self._session.scalars(
            select(W)
            .where(W.account_id == account_id, W.deleted_at.is_(None))
            .order_by(W.created_at, W.id)
        )
        return [_endpoint(r) for r in rows]

    def delete_endpoint(self, endpoint_id: str, at: datetime) -> None:
        self._session.execute(update(W).where(W.id == endpoint_id).values(deleted_at=at))
        self._session.execute(
            update(D)
            .where(D.endpoint_id == endpoint_id, D.status == DeliveryStatus.PENDING.value)
            .values(status=DeliveryStatus.FAILED.value, last_error="endpoint deleted")
        )

    def subscribers(self, account_ids: Sequence[str]) -> list[Endpoint]:
        if not account_ids:
            return []
        rows = self._session.scalars(
            select(W).where(W.account_id.in_(list(account_ids)), W.deleted_at.is_(None))
        )
        return [_endpoint(r) for r in rows]

    def add_deliveries(self, pairs: Sequence[tuple[str, str]], at: datetime) -> None:
        if not pairs:
            return
        rows = [
            {
                "id": str(uuid.uuid4()),
                "endpoint_id": endpoint_id,
                "event_id": event_id,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": at,
                "created_at": at,
            }
            for endpoint_id, event_id in pairs
        ]
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        statement = dialect_insert(cast(Table, D.__table__)).on_conflict_do_nothing()
        self._session.connection().execute(statement, rows)

    def claim_due(self, now: datetime, limit: int) -> list[DueDelivery]:
        query = (
            with_scans(
                select(D, W, EV, TrackingEventRow)
                .join(W, W.id == D.endpoint_id)
                .join(EV, EV.id == D.event_id)
            )
            .where(
                D.status == DeliveryStatus.PENDING.value,
                D.next_attempt_at <= now,
                W.deleted_at.is_(None),
            )
            .order_by(D.next_attempt_at, D.id)
            .limit(limit)
            .with_for_update(of=D, skip_locked=True)
        )
        return [
            DueDelivery(
                delivery_id=d.id,
                attempts=d.attempts,
                endpoint=_endpoint(w),
                event=outbox_event(e, scan),
            )
            for d, w, e, scan in self._session.execute(query)
        ]

    def record_attempt(
        self,
        delivery_id: str,
        *,
        status: DeliveryStatus,
        attempts: int,
        next_attempt_at: datetime | None,
        response_status: int | None,
        error: str | None,
        at: datetime,
    ) -> None:
        self._session.execute(
            update(D)
            .where(D.id == delivery_id)
            .values(
                status=status.value,
                attempts=attempts,
                next_attempt_at=next_attempt_at,
                last_attempt_at=at,
                response_status=response_status,
                last_error=(error or None) and error[:500],
                delivered_at=at if status is DeliveryStatus.SUCCEEDED else None,
            )
        )

    def set_failing(self, endpoint_id: str, failing: bool) -> None:
        self._session.execute(update(W).where(W.id == endpoint_id).values(failing=failing))

    def list_deliveries(
        self,
        endpoint_id: str,
        limit: int,
        *,
        status: DeliveryStatus | None = None,
        after: Delivery | None = None,
    ) -> list[Delivery]:
        query = (
            _with_event_type()
            .where(D.endpoint_id == endpoint_id)
            .order_by(D.created_at.desc(), D.id)
            .limit(limit)
        )
        if status is not None:
            query = query.where(D.status == status.value)
        if after is not None:  # the listing order: created_at descending, then id ascending
            query = query.where(
                or_(
                    D.created_at < after.created_at,
                    and_(D.created_at == after.created_at, D.id > after.id),
                )
            )
        return [_delivery(d, t) for d, t in self._session.execute(query)]

    def get_delivery(self, endpoint_id: str, delivery_id: str) -> Delivery | None:
        query = _with_event_type().where(D.endpoint_id == endpoint_id, D.id == delivery_id)
        found = self._session.execute(query).first()
        return _delivery(*found) if found else None

    def prune_history(self, before: datetime, limit: int) -> tuple[int, int]:
        ended = (
            select(D.id)
            .where(D.created_at < before, D.status != DeliveryStatus.PENDING.value)
            .limit(limit)
        )
        idle = (
            select(EV.id)
            .where(
                EV.created_at < before,
                EV.dispatched_at.is_not(None),
                ~exists().where(D.event_id == EV.id),
            )
            .limit(limit)
        )
        if self._dialect == "postgresql":  # two workers pruning at once split the rows
            ended = ended.with_for_update(skip_locked=True)
            idle = idle.with_for_update(of=EV, skip_locked=True)
        options = {"synchronize_session": False}
        deliveries = self._session.execute(
            delete(D).where(D.id.in_(ended)).execution_options(**options)
        )
        events = self._session.execute(
            delete(EV).where(EV.id.in_(idle)).execution_options(**options)
        )
        return _count(deliveries), _count(events)


def _with_event_type() -> Select[WebhookDeliveryRow, str]:
    """Deliveries with the type of their event, as `Delivery` shows them."""
    return select(D, EV.event_type).join(EV, EV.id == D.event_id)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0))


def _endpoint(row: WebhookEndpointRow) -> Endpoint:
    return Endpoint(
        id=row.id,
        account_id=row.account_id,
        url=row.url,
        events=tuple(row.events),
        secret=row.secret,
        created_at=row.created_at,
        failing=row.failing,
    )


def _delivery(row: WebhookDeliveryRow, event_type: str) -> Delivery:
    return Delivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        event_id=row.event_id,
        event_type=event_type,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        next_attempt_at=row.next_attempt_at,
        last_attempt_at=row.last_attempt_at,
        response_status=row.response_status,
        last_error=row.last_error,
        created_at=row.created_at,
        delivered_at=row.delivered_at,
    )

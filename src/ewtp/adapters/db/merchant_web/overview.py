"""The overview's queries: counts by status, on-time deliveries, watched shipments."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import ShipmentTrackingRow, TrackingEventRow
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.services.merchant_web.overview import AbstractOverviewReader, OverviewUnitOfWork, Watched

__all__ = ["SqlAlchemyOverviewUnitOfWork"]

OPEN = (
    ShipmentStatus.BOOKED.value,
    ShipmentStatus.IN_TRANSIT.value,
    ShipmentStatus.EXCEPTION.value,
)


class SqlAlchemyOverviewReader(AbstractOverviewReader):
    def __init__(self, session: Session) -> None:
        self._s = session

    def counts_by_status(self, account_id: str) -> dict[ShipmentStatus, int]:
        rows = self._s.execute(
            select(ShipmentRow.status, func.count())
            .where(ShipmentRow.account_id == account_id)
            .group_by(ShipmentRow.status)
        )
        return {ShipmentStatus(status): int(n) for status, n in rows}

    def delivered_since(
        self, account_id: str, since: datetime, promise: timedelta
    ) -> tuple[int, int]:
        # Delivered (the last scan of a delivered shipment) within `promise` of ready_at.
        if self._s.get_bind().dialect.name == "sqlite":
            took = func.julianday(ShipmentRow.last_scan_at) - func.julianday(ShipmentRow.ready_at)
            within = took <= promise.total_seconds() / 86400
        else:
            within = ShipmentRow.last_scan_at - ShipmentRow.ready_at <= promise
        on_time = case((within, 1), else_=0)
        row = self._s.execute(
            select(func.count(), func.coalesce(func.sum(on_time), 0)).where(
                ShipmentRow.account_id == account_id,
                ShipmentRow.status == ShipmentStatus.DELIVERED.value,
                ShipmentRow.last_scan_at >= since,
            )
        ).one()
        return int(row[0]), int(row[1])

    def watched(self, account_id: str, limit: int) -> list[Watched]:
        latest = and_(
            TrackingEventRow.tracking_number == ShipmentRow.tracking_number,
            TrackingEventRow.occurred_at == ShipmentRow.last_scan_at,
        )
        held = self._s.execute(
            select(
                ShipmentRow.id,
                ShipmentRow.tracking_number,
                ShipmentRow.status,
                TrackingEventRow.occurred_at,
            )
            .join(TrackingEventRow, latest)
            .where(
                ShipmentRow.account_id == account_id,
                ShipmentRow.status.in_(OPEN),
                TrackingEventRow.milestone == "customs_hold",
            )
            .order_by(TrackingEventRow.occurred_at.desc())
            .limit(limit)
        ).all()
        risky = self._s.execute(
            select(
                ShipmentRow.id,
                ShipmentRow.tracking_number,
                ShipmentRow.status,
                ShipmentTrackingRow.updated_at,
            )
            .join(ShipmentTrackingRow, ShipmentTrackingRow.shipment_id == ShipmentRow.id)
            .where(
                ShipmentRow.account_id == account_id,
                ShipmentRow.status.in_(OPEN),
                ShipmentTrackingRow.promise_at_risk.is_(True),
            )
            .order_by(ShipmentTrackingRow.updated_at.desc())
            .limit(limit)
        ).all()
        out = [Watched(i, t, ShipmentStatus(s), "customs_hold", at) for i, t, s, at in held]
        seen = {w.shipment_id for w in out}
        out += [
            Watched(i, t, ShipmentStatus(s), "at_risk", at)
            for i, t, s, at in risky
            if i not in seen
        ]
        return out[:limit]

    def recent_exceptions(self, account_id: str, limit: int) -> list[Watched]:
        rows = self._s.execute(
            select(
                ShipmentRow.id,
                ShipmentRow.tracking_number,
                ShipmentRow.status,
                ShipmentRow.updated_at,
            )
            .where(
                ShipmentRow.account_id == account_id,
                ShipmentRow.status == ShipmentStatus.EXCEPTION.value,
            )
            .order_by(ShipmentRow.updated_at.desc())
            .limit(limit)
        ).all()
        return [Watched(i, t, ShipmentStatus(s), "exception", at) for i, t, s, at in rows]


class SqlAlchemyOverviewUnitOfWork(SqlAlchemyUnitOfWork, OverviewUnitOfWork):
    def _open_repositories(self, session: Session) -> None:
        super()._open_repositories(session)
        self.overview = SqlAlchemyOverviewReader(session)

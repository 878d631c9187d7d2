"""SQL reads behind the ingestion page: scans per arrival minute, refusals, anomalies,
parcels at risk, one parcel's scans (`services/tracking/ingestion_status.py`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import (
    RejectedScanRow,
    ShipmentTrackingRow,
    TrackingEventRow,
)
from ewtp.services.tracking.ingestion_status import (
    AbstractIngestionReader,
    Anomaly,
    AtRisk,
    ParcelScans,
    RejectedScan,
)

__all__ = ["SqlAlchemyIngestionReader"]


def _minute(column: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return func.date_trunc("minute", column)
    return func.strftime("%Y-%m-%d %H:%M:00", column)


def _utc(value: Any) -> datetime:
    """A minute key as an aware UTC datetime (SQLite answers text, PostgreSQL a datetime)."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _rejected(r: RejectedScanRow) -> RejectedScan:
    return RejectedScan(r.received_at, r.tracking_number, r.field, r.code, r.reason)


class SqlAlchemyIngestionReader(AbstractIngestionReader):
    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def counts(self, since: datetime, until: datetime) -> dict[datetime, tuple[int, int]]:
        out: dict[datetime, list[int]] = {}
        with self.factory() as session:
            dialect = session.get_bind().dialect.name
            for table, slot in ((TrackingEventRow, 0), (RejectedScanRow, 1)):
                minute = _minute(table.received_at, dialect).label("minute")
                rows = session.execute(
                    select(minute, func.count())
                    .where(table.received_at >= since, table.received_at < until)
                    .group_by(minute)
                )
                for key, count in rows:
                    out.setdefault(_utc(key), [0, 0])[slot] += int(count)
        return {at: (a, r) for at, (a, r) in out.items()}

    def rejections(self, since: datetime, limit: int) -> list[RejectedScan]:
        with self.factory() as session:
            rows = session.scalars(
                select(RejectedScanRow)
                .where(RejectedScanRow.received_at >= since)
                .order_by(RejectedScanRow.received_at.desc(), RejectedScanRow.id.desc())
                .limit(limit)
            )
            return [_rejected(r) for r in rows]

    def anomalies(self, since: datetime, limit: int) -> list[Anomaly]:
        t = TrackingEventRow
        with self.factory() as session:
            rows = session.scalars(
                select(t)
                .where(t.received_at >= since, t.anomaly.is_not(None))
                .order_by(t.received_at.desc(), t.id.desc())
                .limit(limit)
            )
            return [Anomaly(r.received_at, r.tracking_number, r.code, r.hub, r.occurred_at,
                            r.anomaly or "") for r in rows]  # fmt: skip

    def at_risk(self, limit: int) -> list[AtRisk]:
        with self.factory() as session:
            rows = session.execute(
                select(ShipmentRow.tracking_number, ShipmentRow.promised_by,
                       ShipmentTrackingRow.eta_at, ShipmentTrackingRow.eta_from_hub,
                       ShipmentTrackingRow.updated_at)
                .join(ShipmentRow, ShipmentRow.id == ShipmentTrackingRow.shipment_id)
                .where(ShipmentTrackingRow.promise_at_risk.is_(True))
                .order_by(ShipmentTrackingRow.updated_at.desc())
                .limit(limit)
            )  # fmt: skip
            return [AtRisk(n or "", p, e, h, u) for n, p, e, h, u in rows]

    def parcel(self, tracking_number: str) -> ParcelScans:
        with self.factory() as session:
            shipment = session.scalars(
                select(ShipmentRow).where(ShipmentRow.tracking_number == tracking_number)
            ).first()
            risk = shipment is not None and bool(
                session.scalar(
                    select(ShipmentTrackingRow.promise_at_risk).where(
                        ShipmentTrackingRow.shipment_id == shipment.id
                    )
                )
            )
            events = session.scalars(
                select(TrackingEventRow)
                .where(TrackingEventRow.tracking_number == tracking_number)
                .order_by(TrackingEventRow.occurred_at, TrackingEventRow.id)
            )
            scans = [
                {"occurred_at": e.occurred_at, "code": e.code, "status": e.milestone,
                 "reason": e.reason, "hub": e.hub, "description": e.description,
                 "source_event_id": e.source_event_id, "received_at": e.received_at,
                 "anomaly": e.anomaly}
                for e in events
            ]  # fmt: skip
            refused = session.scalars(
                select(RejectedScanRow)
                .where(RejectedScanRow.tracking_number == tracking_number)
                .order_by(RejectedScanRow.received_at.desc())
                .limit(50)
            )
            return ParcelScans(
                tracking_number, shipment.status if shipment else None, risk, scans,
                [_rejected(r) for r in refused],
            )  # fmt: skip

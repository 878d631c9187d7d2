"""Scans at a hub (`arrived`, `departed`) and inbound legs of booked shipments."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import TrackingEventRow
from ewtp.domain.hub.inbound import InboundParcel
from ewtp.domain.hub.kpis import HubScan
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.services.hub.ports import AbstractHubScans, AbstractInbound

__all__ = ["SqlAlchemyHubScans", "SqlAlchemyInbound"]

#: A booked parcel's ready time is at most this long before its legs arrive (the
#: Zhengzhou-Liège train takes 16 days).
_LONGEST_TRIP = timedelta(days=30)
_CM3_PER_M3 = Decimal(1_000_000)


class SqlAlchemyHubScans(AbstractHubScans):
    def __init__(self, session: Session) -> None:
        self._session = session

    def at_hub(self, hub: str, start: datetime, end: datetime) -> list[HubScan]:
        rows = self._session.execute(
            select(
                TrackingEventRow.tracking_number,
                TrackingEventRow.milestone,
                TrackingEventRow.occurred_at,
            ).where(
                TrackingEventRow.hub == hub,
                TrackingEventRow.milestone.in_(("arrived", "departed")),
                TrackingEventRow.occurred_at >= start,
                TrackingEventRow.occurred_at < end,
            )
        )
        return [HubScan(n, m, t) for n, m, t in rows]


def _size(request: dict[str, Any]) -> tuple[Decimal, Decimal]:
    kg = Decimal(0)
    cm3 = Decimal(0)
    for p in request.get("parcels", []):
        kg += Decimal(p["weight_kg"])
        cm3 += Decimal(p["length_cm"]) * Decimal(p["width_cm"]) * Decimal(p["height_cm"])
    return kg, cm3 / _CM3_PER_M3


class SqlAlchemyInbound(AbstractInbound):
    def __init__(self, session: Session) -> None:
        self._session = session

    def arriving(self, hub: str, start: datetime, end: datetime) -> list[InboundParcel]:
        rows = self._session.execute(
            select(ShipmentRow.tracking_number, ShipmentDetailRow.option, ShipmentDetailRow.request)
            .join(ShipmentDetailRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
            .where(
                ShipmentRow.status.in_(
                    (ShipmentStatus.BOOKED.value, ShipmentStatus.IN_TRANSIT.value)
                ),
                or_(ShipmentRow.ready_at.is_(None), ShipmentRow.ready_at >= start - _LONGEST_TRIP),
                or_(ShipmentRow.ready_at.is_(None), ShipmentRow.ready_at < end),
            )
        )
        out: list[InboundParcel] = []
        for number, option, request in rows:
            for leg in (option or {}).get("legs", []):
                if leg["destination"] != hub:
                    continue
                arrival = datetime.fromisoformat(leg["arrival_utc"])
                if start <= arrival < end:
                    kg, m3 = _size(request)
                    out.append(
                        InboundParcel(
                            number or "", leg["service_id"], leg["origin"], arrival, kg, m3
                        )
                    )
        return out

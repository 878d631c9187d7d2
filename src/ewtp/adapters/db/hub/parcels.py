"""Parcels as the sort needs them: status, destination, booked legs, customs flag, and
the milestone of the latest scan, in one query per chunk of numbers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import TrackingEventRow
from ewtp.services.hub.ports import AbstractHubParcels, BookedLeg, ParcelRecord

__all__ = ["SqlAlchemyHubParcels", "screening_flag"]

_CHUNK = 5000


def screening_flag(customs: dict[str, Any] | None) -> bool:
    """A restricted-goods warning of the customs assessment holds the parcel for review."""
    warnings = ((customs or {}).get("assessment") or {}).get("warnings") or []
    return any(str(w.get("code", "")).startswith("restricted_") for w in warnings)


def _legs(option: dict[str, Any] | None) -> tuple[BookedLeg, ...]:
    return tuple(
        BookedLeg(
            leg["service_id"],
            leg["origin"],
            leg["destination"],
            datetime.fromisoformat(leg["departure_utc"]),
        )
        for leg in (option or {}).get("legs", [])
    )


class SqlAlchemyHubParcels(AbstractHubParcels):
    def __init__(self, session: Session) -> None:
        self._session = session

    def find(self, tracking_numbers: Sequence[str]) -> dict[str, ParcelRecord]:
        out: dict[str, ParcelRecord] = {}
        for i in range(0, len(tracking_numbers), _CHUNK):
            out.update(self._chunk(tracking_numbers[i : i + _CHUNK]))
        return out

    def _chunk(self, numbers: Sequence[str]) -> dict[str, ParcelRecord]:
        if not numbers:
            return {}
        # The milestone of the latest scan (latest occurred_at, then the last stored).
        latest = (
            select(TrackingEventRow.milestone)
            .where(TrackingEventRow.tracking_number == ShipmentRow.tracking_number)
            .order_by(TrackingEventRow.occurred_at.desc(), TrackingEventRow.id.desc())
            .limit(1)
            .correlate(ShipmentRow)
            .scalar_subquery()
        )
        # Core execution on the session's connection: no ORM result machinery per row.
        rows = (
            self._session.connection()
            .execute(
                select(
                    ShipmentRow.tracking_number,
                    ShipmentRow.status,
                    ShipmentRow.destination_country,
                    ShipmentRow.promised_by,
                    ShipmentDetailRow.option,
                    ShipmentDetailRow.customs,
                    latest,
                )
                .outerjoin(ShipmentDetailRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
                .where(ShipmentRow.tracking_number.in_(numbers))
            )
            .all()
        )
        out: dict[str, ParcelRecord] = {}
        for number, status, country, promised, option, customs, milestone in rows:
            if number is None:
                continue
            if promised is None and option and option.get("delivered_by"):
                promised = datetime.fromisoformat(option["delivered_by"])
            out[number] = ParcelRecord(
                tracking_number=number,
                status=status,
                destination_country=country,
                promised_by=promised,
                legs=_legs(option),
                latest_milestone=milestone,
                screening_flag=screening_flag(customs),
            )
        return out

"""Parcels as the sort needs them: status, destination, booked legs, customs flag, and
the milestone of the latest scan, in two queries per batch."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import TrackingEventRow
from ewtp.domain.tracking import Milestone
from ewtp.services.hub.ports import AbstractHubParcels, BookedLeg, ParcelRecord

__all__ = ["SqlAlchemyHubParcels", "screening_flag"]

_CHUNK = 5000
_ORDER = {m.value: i for i, m in enumerate(Milestone)}


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
        rows = self._session.execute(
            select(
                ShipmentRow.tracking_number,
                ShipmentRow.status,
                ShipmentRow.destination_country,
                ShipmentRow.promised_by,
                ShipmentDetailRow.option,
                ShipmentDetailRow.customs,
            )
            .outerjoin(ShipmentDetailRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
            .where(ShipmentRow.tracking_number.in_(numbers))
        ).all()
        latest: dict[str, tuple[datetime, int, str]] = {}
        for number, milestone, occurred in self._session.execute(
            select(
                TrackingEventRow.tracking_number,
                TrackingEventRow.milestone,
                TrackingEventRow.occurred_at,
            ).where(TrackingEventRow.tracking_number.in_(numbers))
        ):
            key = (occurred, _ORDER.get(milestone, -1), milestone)
            if number not in latest or key > latest[number]:
                latest[number] = key
        out: dict[str, ParcelRecord] = {}
        for number, status, country, promised, option, customs in rows:
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
                latest_milestone=latest[number][2] if number in latest else None,
                screening_flag=screening_flag(customs),
            )
        return out

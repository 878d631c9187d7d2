"""The append-only sort decision log (table `hub_sort_decisions`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.hub import SortDecisionRow
from ewtp.domain.hub import SortDecision
from ewtp.domain.hub.kpis import LoggedDecision
from ewtp.services.hub.ports import AbstractDecisionLog

__all__ = ["SqlAlchemyDecisionLog"]

_CHUNK = 2000


def _logged(row: SortDecisionRow) -> LoggedDecision:
    return LoggedDecision(
        tracking_number=row.tracking_number,
        scanned_at=row.scanned_at,
        reason=row.reason,
        chute=row.chute,
        service_id=row.service_id,
        departure_utc=row.departure_utc,
        promise_holds=row.promise_holds,
        booked_service_id=row.booked_service_id,
        booked_departure_utc=row.booked_departure_utc,
    )


class SqlAlchemyDecisionLog(AbstractDecisionLog):
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(
        self,
        hub: str,
        decisions: Sequence[SortDecision],
        requested_by: str | None,
        decided_at: datetime,
    ) -> None:
        rows = [
            {
                "hub": hub,
                "tracking_number": d.tracking_number[:40],
                "scanned_at": d.scanned_at,
                "decided_at": decided_at,
                "requested_by": requested_by,
                "reason": d.reason.value,
                "chute": d.chute,
                "service_id": d.departure.service_id if d.departure else None,
                "departure_utc": d.departure.departure_utc if d.departure else None,
                "cutoff_utc": d.departure.cutoff_utc if d.departure else None,
                "expected_delivery_utc": d.expected_delivery_utc,
                "promise_holds": d.promise_holds,
                "booked_service_id": d.booked_service_id,
                "booked_departure_utc": d.booked_departure_utc,
            }
            for d in decisions
        ]
        for i in range(0, len(rows), _CHUNK):
            self._session.execute(insert(SortDecisionRow), rows[i : i + _CHUNK])

    def between(self, hub: str, start: datetime, end: datetime) -> list[LoggedDecision]:
        rows = self._session.scalars(
            select(SortDecisionRow)
            .where(
                SortDecisionRow.hub == hub,
                SortDecisionRow.scanned_at >= start,
                SortDecisionRow.scanned_at < end,
            )
            .order_by(SortDecisionRow.scanned_at, SortDecisionRow.id)
        )
        return [_logged(r) for r in rows]

    def latest(self, hub: str, tracking_numbers: Sequence[str]) -> dict[str, LoggedDecision]:
        out: dict[str, LoggedDecision] = {}
        for i in range(0, len(tracking_numbers), _CHUNK):
            chunk = tracking_numbers[i : i + _CHUNK]
            newest = (
                select(func.max(SortDecisionRow.id))
                .where(SortDecisionRow.hub == hub, SortDecisionRow.tracking_number.in_(chunk))
                .group_by(SortDecisionRow.tracking_number)
            )
            for row in self._session.scalars(
                select(SortDecisionRow).where(SortDecisionRow.id.in_(newest))
            ):
                out[row.tracking_number] = _logged(row)
        return out

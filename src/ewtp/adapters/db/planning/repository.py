"""Plan jobs in `planning_plans`; booked volumes read from the merchant's shipments."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.adapters.db.tables.planning import PlanRow
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.domain.planning.bookings import Booking
from ewtp.services.planning.ports import AbstractPlanRepository, PlanJob

__all__ = ["SqlAlchemyPlanRepository"]


def _job(row: PlanRow) -> PlanJob:
    return PlanJob(
        id=row.id, account_id=row.account_id, status=row.status, week=row.week,
        created_at=row.created_at, request=row.request, result=row.result,
        message=row.message, finished_at=row.finished_at,
    )  # fmt: skip


class SqlAlchemyPlanRepository(AbstractPlanRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: PlanJob) -> None:
        self.session.add(
            PlanRow(
                id=job.id, account_id=job.account_id, status=job.status, week=job.week,
                request=job.request, result=job.result, message=job.message,
                created_at=job.created_at, finished_at=job.finished_at,
            )
        )  # fmt: skip

    def get(self, job_id: str) -> PlanJob | None:
        row = self.session.get(PlanRow, job_id)
        return None if row is None else _job(row)

    def recent(self, limit: int) -> list[PlanJob]:
        query = select(PlanRow).order_by(PlanRow.created_at.desc(), PlanRow.id).limit(limit)
        return [_job(row) for row in self.session.scalars(query)]

    def update(self, job: PlanJob) -> None:
        row = self.session.get(PlanRow, job.id)
        if row is None:
            self.add(replace(job))
            return
        row.status, row.result, row.message = job.status, job.result, job.message
        row.finished_at = job.finished_at

    def booked(self, start: datetime, end: datetime) -> list[Booking]:
        query = (
            select(ShipmentRow, ShipmentDetailRow)
            .join(ShipmentDetailRow, ShipmentDetailRow.shipment_id == ShipmentRow.id)
            .where(ShipmentRow.ready_at >= start, ShipmentRow.ready_at < end)
            .where(ShipmentDetailRow.booked_at.is_not(None))
            .where(ShipmentDetailRow.cancelled_at.is_(None))
            .order_by(ShipmentRow.id)
        )
        out = []
        for ship, detail in self.session.execute(query):
            if ship.origin_hub is None or ship.destination_country is None or not ship.ready_at:
                continue
            parcels = detail.request.get("parcels", [])
            kg = sum((Decimal(p["weight_kg"]) for p in parcels), start=Decimal(0))
            m3 = sum(
                (
                    Decimal(p["length_cm"])
                    * Decimal(p["width_cm"])
                    * Decimal(p["height_cm"])
                    / Decimal(1_000_000)
                    for p in parcels
                ),
                start=Decimal(0),
            )
            out.append(
                Booking(
                    ship.origin_hub, ship.destination_country, ship.ready_at,
                    ship.service_level or "standard", len(parcels), kg, m3,
                )
            )  # fmt: skip
        return out

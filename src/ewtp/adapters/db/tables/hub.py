"""Tables of hub operations: the sort decision log and loaded hub models (hub_0001), the
log's hourly totals (hub_0002)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ewtp.adapters.db.base import Base
from ewtp.adapters.db.types import UtcDateTime

__all__ = ["DecisionHourRow", "DecisionMissRow", "HubModelRow", "SortDecisionRow"]

BigId = BigInteger().with_variant(Integer(), "sqlite")


class SortDecisionRow(Base):
    __tablename__ = "hub_sort_decisions"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    hub: Mapped[str] = mapped_column(String(8))
    tracking_number: Mapped[str] = mapped_column(String(40))
    scanned_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime())
    requested_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    reason: Mapped[str] = mapped_column(String(20))
    chute: Mapped[str] = mapped_column(String(16))
    service_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    departure_utc: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    cutoff_utc: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    expected_delivery_utc: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    promise_holds: Mapped[bool | None] = mapped_column(Boolean(), nullable=True)
    booked_service_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    booked_departure_utc: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (
        Index("ix_hub_sort_decisions_scanned", "hub", "scanned_at"),
        Index("ix_hub_sort_decisions_parcel", "hub", "tracking_number", "id"),
        Index(
            "ix_hub_sort_decisions_rerouted",
            "hub",
            "scanned_at",
            sqlite_where=text("reason = 'rerouted'"),
            postgresql_where=text("reason = 'rerouted'"),
        ),
    )


class DecisionHourRow(Base):
    """Decisions per hub and UTC hour of their scan, kept with the log in its transaction."""

    __tablename__ = "hub_decision_hours"

    hub: Mapped[str] = mapped_column(String(8), primary_key=True)
    hour_utc: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    decided: Mapped[int] = mapped_column(Integer())


class DecisionMissRow(Base):
    """`rerouted` decisions per hub, UTC hour of their scan and booked departure missed."""

    __tablename__ = "hub_decision_misses"

    hub: Mapped[str] = mapped_column(String(8), primary_key=True)
    hour_utc: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    booked_service_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    booked_departure_utc: Mapped[datetime] = mapped_column(UtcDateTime(), primary_key=True)
    rerouted: Mapped[int] = mapped_column(Integer())


class HubModelRow(Base):
    """A hub model loaded with `ewtp hub load`: its CSV rows, as JSON, by file."""

    __tablename__ = "hub_models"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    rows: Mapped[dict[str, Any]] = mapped_column(JSON())
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime())

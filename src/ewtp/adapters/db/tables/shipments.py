"""The core shipment row that tracking, webhooks and the merchant API all share.

The foundation fixes these columns as the contract between capabilities; the merchant
platform adds its own columns (addresses, parcels, label, customs) in its migration.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ewtp.adapters.db.base import Base
from ewtp.adapters.db.types import UtcDateTime

__all__ = ["ShipmentRow"]


class ShipmentRow(Base):
    __tablename__ = "shipments"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    tracking_number: Mapped[str | None] = mapped_column(String(13), unique=True, nullable=True)
    origin_hub: Mapped[str | None] = mapped_column(String(8), nullable=True)
    destination_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    service_level: Mapped[str | None] = mapped_column(String(20), nullable=True)
    ready_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    promised_by: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The latest stored scan's `occurred_at`, kept by ingestion (migration tracking_0006).
    last_scan_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    # A merchant's newest-first keyset pages (migration web_0001).
    __table_args__ = (Index("ix_shipments_account_created", "account_id", "created_at", "id"),)

"""Tables of tracking: scan events (deduplicated by unique indexes), per-shipment tracking
state (live ETA), the webhook outbox, webhook endpoints and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ewtp.adapters.db.base import Base
from ewtp.adapters.db.types import UtcDateTime

__all__ = [
    "OutboxEventRow",
    "RejectedScanRow",
    "ShipmentTrackingRow",
    "TrackingEventRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
]

BigId = BigInteger().with_variant(Integer(), "sqlite")


class TrackingEventRow(Base):
    """One distinct scan. The two partial unique indexes are the dedup rule itself."""

    __tablename__ = "tracking_events"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    tracking_number: Mapped[str] = mapped_column(String(13))
    code: Mapped[str] = mapped_column(String(40))
    milestone: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    hub: Mapped[str] = mapped_column(String(8))
    description: Mapped[str | None] = mapped_column(String(300), nullable=True)
    source_event_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    anomaly: Mapped[str | None] = mapped_column(String(300), nullable=True)

    __table_args__ = (
        Index(
            "ux_tracking_events_source",
            "tracking_number",
            "source_event_id",
            unique=True,
            postgresql_where=text("source_event_id IS NOT NULL"),
            sqlite_where=text("source_event_id IS NOT NULL"),
        ),
        Index(
            "ux_tracking_events_scan",
            "tracking_number",
            "code",
            "occurred_at",
            "hub",
            unique=True,
            postgresql_where=text("source_event_id IS NULL"),
            sqlite_where=text("source_event_id IS NULL"),
        ),
        Index("ix_tracking_events_tracking_number", "tracking_number", "occurred_at"),
        # Counting scans per arrival minute (migration tracking_0007): BRIN on PostgreSQL.
        Index("ix_tracking_events_received", "received_at", postgresql_using="brin"),
    )


class RejectedScanRow(Base):
    """A scan refused at ingestion, kept for the console (tracking_0007): what was sent
    as the number, the field and reason of the refusal, and when."""

    __tablename__ = "tracking_rejected_scans"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    tracking_number: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(60))
    code: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(300))

    __table_args__ = (Index("ix_tracking_rejected_scans_received", "received_at"),)


class ShipmentTrackingRow(Base):
    """What tracking knows about a shipment beyond its status: the live ETA."""

    __tablename__ = "shipment_tracking"

    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id"), primary_key=True)
    eta_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    eta_from_hub: Mapped[str | None] = mapped_column(String(8), nullable=True)
    planned_hubs: Mapped[list[str] | None] = mapped_column(JSON(), nullable=True)
    promise_at_risk: Mapped[bool] = mapped_column(Boolean(), default=False)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class OutboxEventRow(Base):
    """A webhook event, written in the same transaction as the change that caused it.

    `account_id` is not a foreign key on PostgreSQL (see migration tracking_0003). A row
    of the set-based scan fold stores JSON null as `payload` and names its scan and the
    statuses instead; the data is built from them when read (migration tracking_0004).
    """

    __tablename__ = "outbox_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(40))
    shipment_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON())
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    tracking_event_id: Mapped[int | None] = mapped_column(BigId, nullable=True)
    status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    previous_status: Mapped[str | None] = mapped_column(String(20), nullable=True)

    __table_args__ = (
        Index(
            "ix_outbox_events_undispatched",
            "created_at",
            postgresql_where=text("dispatched_at IS NULL"),
            sqlite_where=text("dispatched_at IS NULL"),
        ),
        # For pruning by age (migration tracking_0005): BRIN on PostgreSQL, where rows
        # arrive in time order, so the index costs next to nothing per insert.
        Index("ix_outbox_events_created", "created_at", postgresql_using="brin"),
    )


class WebhookEndpointRow(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(JSON())
    secret: Mapped[str] = mapped_column(String(100))
    failing: Mapped[bool] = mapped_column(Boolean(), default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class WebhookDeliveryRow(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    endpoint_id: Mapped[str] = mapped_column(ForeignKey("webhook_endpoints.id"))
    event_id: Mapped[str] = mapped_column(ForeignKey("outbox_events.id"))
    status: Mapped[str] = mapped_column(String(20))
    attempts: Mapped[int] = mapped_column(Integer(), default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    response_status: Mapped[int | None] = mapped_column(Integer(), nullable=True)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)

    __table_args__ = (
        UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
        Index("ix_webhook_deliveries_created", "created_at", postgresql_using="brin"),
        Index("ix_webhook_deliveries_event", "event_id"),
        Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_endpoint", "endpoint_id", "created_at"),
    )

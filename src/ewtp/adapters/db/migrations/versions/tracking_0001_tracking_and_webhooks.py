"""Tracking: scan events with dedup indexes, live ETA state, webhook outbox and deliveries.

Revision ID: tracking_0001
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "tracking_0001"
down_revision = "0001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tracking_events",
        sa.Column("id", BigId, primary_key=True, autoincrement=True),
        sa.Column("tracking_number", sa.String(13), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("milestone", sa.String(20), nullable=False),
        sa.Column("reason", sa.String(40), nullable=True),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("hub", sa.String(8), nullable=False),
        sa.Column("description", sa.String(300), nullable=True),
        sa.Column("source_event_id", sa.String(100), nullable=True),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("anomaly", sa.String(300), nullable=True),
    )
    source = sa.text("source_event_id IS NOT NULL")
    no_source = sa.text("source_event_id IS NULL")
    op.create_index(
        "ux_tracking_events_source",
        "tracking_events",
        ["tracking_number", "source_event_id"],
        unique=True,
        postgresql_where=source,
        sqlite_where=source,
    )
    op.create_index(
        "ux_tracking_events_scan",
        "tracking_events",
        ["tracking_number", "code", "occurred_at", "hub"],
        unique=True,
        postgresql_where=no_source,
        sqlite_where=no_source,
    )
    op.create_index(
        "ix_tracking_events_tracking_number", "tracking_events", ["tracking_number", "occurred_at"]
    )
    op.create_table(
        "shipment_tracking",
        sa.Column("shipment_id", sa.String(36), sa.ForeignKey("shipments.id"), primary_key=True),
        sa.Column("eta_at", TS, nullable=True),
        sa.Column("eta_from_hub", sa.String(8), nullable=True),
        sa.Column("planned_hubs", sa.JSON(), nullable=True),
        sa.Column("promise_at_risk", sa.Boolean(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "outbox_events",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("event_type", sa.String(40), nullable=False),
        sa.Column("shipment_id", sa.String(36), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("dispatched_at", TS, nullable=True),
    )
    undispatched = sa.text("dispatched_at IS NULL")
    op.create_index(
        "ix_outbox_events_undispatched",
        "outbox_events",
        ["created_at"],
        postgresql_where=undispatched,
        sqlite_where=undispatched,
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("failing", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("deleted_at", TS, nullable=True),
    )
    op.create_index("ix_webhook_endpoints_account_id", "webhook_endpoints", ["account_id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "endpoint_id", sa.String(36), sa.ForeignKey("webhook_endpoints.id"), nullable=False
        ),
        sa.Column("event_id", sa.String(36), sa.ForeignKey("outbox_events.id"), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=True),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(500), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("delivered_at", TS, nullable=True),
        sa.UniqueConstraint("endpoint_id", "event_id", name="uq_webhook_deliveries_endpoint_event"),
    )
    op.create_index(
        "ix_webhook_deliveries_due", "webhook_deliveries", ["status", "next_attempt_at"]
    )
    op.create_index(
        "ix_webhook_deliveries_endpoint", "webhook_deliveries", ["endpoint_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
    op.drop_table("outbox_events")
    op.drop_table("shipment_tracking")
    op.drop_table("tracking_events")

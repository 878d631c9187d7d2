"""Outbox rows of the set-based scan fold name their scan instead of carrying its JSON.

At hub scale every scan writes a `tracking.updated` row (and a delivery also writes
`shipment.delivered` with the same data). Building that JSON in SQL was the largest
part of the outbox insert, itself the largest statement of a batch (measured on
PostgreSQL 15: about 5 of 8.5 us per row). The data is made of the scan's own columns,
which never change once stored, and of the status before and after it, so those rows now
store JSON null as `payload` with `tracking_event_id`, `status` and `previous_status`,
and the repository builds the same data when it reads the row.

`tracking_event_id` is not a foreign key: the fold writes it from the row it has just
inserted, scans are never deleted, and a check would cost a trigger call per row.
`payload` stays NOT NULL (JSON null is a value), so SQLite needs no table rebuild.

Revision ID: tracking_0004
Revises: tracking_0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "tracking_0004"
down_revision = "tracking_0003"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.add_column("outbox_events", sa.Column("tracking_event_id", BigId, nullable=True))
    op.add_column("outbox_events", sa.Column("status", sa.String(20), nullable=True))
    op.add_column("outbox_events", sa.Column("previous_status", sa.String(20), nullable=True))


def downgrade() -> None:
    # Rows written by reference get their JSON back before the columns go.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE outbox_events o SET payload = json_build_object('shipment_id',"
            " o.shipment_id, 'tracking_number', e.tracking_number, 'status', o.status,"
            " 'previous_status', o.previous_status, 'events', json_build_array("
            "json_build_object('code', e.code, 'status', e.milestone, 'reason', e.reason,"
            " 'occurred_at', to_char(e.occurred_at AT TIME ZONE 'UTC',"
            " 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN extract(microseconds FROM"
            " e.occurred_at)::bigint % 1000000 <> 0 THEN to_char(e.occurred_at AT TIME ZONE"
            " 'UTC', '.US') ELSE '' END || '+00:00', 'hub', e.hub, 'description',"
            " e.description, 'source_event_id', e.source_event_id)))"
            " FROM tracking_events e WHERE e.id = o.tracking_event_id"
        )
    # Plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of a table that
    # `webhook_deliveries` points into would need foreign keys off (see tracking_0003).
    for column in ("previous_status", "status", "tracking_event_id"):
        op.execute(f"ALTER TABLE outbox_events DROP COLUMN {column}")

"""Rejected scans are kept (minimally), and scans can be counted by arrival minute.

Until now a refused scan was only reported back to the sender. The console's ingestion
page shows the recent refusals with their reasons, so each batch's refusals (at most
`MAX_KEPT_REJECTIONS` per batch) are stored beside it: number as sent, field, code,
reason, and when. A BRIN index on `tracking_events.received_at` (rows arrive in time
order) lets scans per minute be counted over the last hour without a full scan, at next
to no cost per insert.

Revision ID: tracking_0007
Revises: tracking_0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "tracking_0007"
down_revision = "tracking_0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tracking_rejected_scans",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("tracking_number", sa.String(40), nullable=False),
        sa.Column("field", sa.String(60), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("reason", sa.String(300), nullable=False),
    )
    op.create_index(
        "ix_tracking_rejected_scans_received", "tracking_rejected_scans", ["received_at"]
    )
    op.create_index(
        "ix_tracking_events_received", "tracking_events", ["received_at"],
        postgresql_using="brin",
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_tracking_events_received", "tracking_events")
    op.drop_index("ix_tracking_rejected_scans_received", "tracking_rejected_scans")
    op.drop_table("tracking_rejected_scans")

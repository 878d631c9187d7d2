"""Each shipment keeps the time of its latest stored scan (`shipments.last_scan_at`).

The fold continues from the stored status only when a new scan is later than every stored
one, so each batch needed the latest scan of every parcel it touched: one index probe per
parcel into `tracking_events`, read in a statement of its own after the row locks (a
statement that waited for a lock reads other tables with its old snapshot). Measured on
PostgreSQL 15, that was about a tenth of a 20,000-scan batch. Kept on the shipment row, it
comes with the lock itself, at its newest version, and the status update that follows
writes it (a HOT update: the column is not indexed).

The backfill rewrites every shipment that has a tracking number, inside the one
transaction of `ewtp db upgrade`; on a large existing database, upgrade in a quiet hour.

Revision ID: tracking_0006
Revises: tracking_0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "tracking_0006"
down_revision = "tracking_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("shipments", sa.Column("last_scan_at", sa.DateTime(timezone=True)))
    op.execute(
        "UPDATE shipments SET last_scan_at = (SELECT max(e.occurred_at) FROM tracking_events e"
        " WHERE e.tracking_number = shipments.tracking_number)"
        " WHERE tracking_number IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE shipments DROP COLUMN last_scan_at")

"""Hub-scale writes: cheaper ids, HOT status updates.

Measured on PostgreSQL 15 with 20,000-scan batches (see `benchmarks/tracking.py`):
- `nextval` on a sequence with the default cache of 1 costs more than the row it numbers;
  a cache of 1,000 per session nearly halves the scan insert. Ids stay unique, but are no
  longer in commit order across sessions; nothing orders by them.
- Random UUIDs as outbox keys scatter inserts over the whole primary-key index; a cached
  sequence (`outbox_event_seq`) keeps them at its right edge and halves the outbox insert.
- A status change rewrote every index of `shipments` because `status` itself was indexed.
  Without that index (listings filter by account first, which has its own index) and with
  free space left in each page (fillfactor 70), the update is HOT: one heap write, no index
  writes. The same fillfactor serves the live-ETA upserts of `shipment_tracking`.

Revision ID: tracking_0002
Revises: tracking_0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

revision = "tracking_0002"
down_revision = "tracking_0001"
branch_labels = None
depends_on = None

CACHE = 1000
FILLFACTOR = 70


def upgrade() -> None:
    op.drop_index("ix_shipments_status", table_name="shipments")
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER SEQUENCE tracking_events_id_seq CACHE {CACHE}")
    op.execute(f"CREATE SEQUENCE outbox_event_seq CACHE {CACHE}")
    for table in ("shipments", "shipment_tracking"):
        op.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("shipments", "shipment_tracking"):
            op.execute(f"ALTER TABLE {table} RESET (fillfactor)")
        op.execute("DROP SEQUENCE outbox_event_seq")
        op.execute("ALTER SEQUENCE tracking_events_id_seq CACHE 1")
    op.create_index("ix_shipments_status", "shipments", ["status"])

"""Indexes for pruning webhook history by age (`services.prune_webhooks`).

- `created_at` of `outbox_events` and `webhook_deliveries`: BRIN on PostgreSQL, since rows
  are written in time order and a BRIN index costs next to nothing per insert; a b-tree
  on SQLite, which has no BRIN.
- `webhook_deliveries.event_id`: "is any delivery of this event left?" is asked for every
  event pruned, and by the foreign key's own check when the event row is deleted; without
  it each would read the whole table.

Like every migration here it runs inside the one transaction of `ewtp db upgrade`, so the
index builds block writes to those two tables while they run (not CONCURRENTLY); on a
large existing database, upgrade in a quiet hour.

Revision ID: tracking_0005
Revises: tracking_0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "tracking_0005"
down_revision = "tracking_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_events_created", "outbox_events", ["created_at"], postgresql_using="brin"
    )
    op.create_index(
        "ix_webhook_deliveries_created",
        "webhook_deliveries",
        ["created_at"],
        postgresql_using="brin",
    )
    op.create_index("ix_webhook_deliveries_event", "webhook_deliveries", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_event", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_created", table_name="webhook_deliveries")
    op.drop_index("ix_outbox_events_created", table_name="outbox_events")

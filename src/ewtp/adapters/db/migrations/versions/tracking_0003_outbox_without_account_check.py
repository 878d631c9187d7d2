"""On PostgreSQL the outbox no longer checks its account against `accounts` row by row.

At hub scale every scan writes an outbox row, and PostgreSQL checks a foreign key with one
trigger call per inserted row: measured on PostgreSQL 15, a third of the outbox insert of a
20,000-scan batch (94 of 278 ms). The check guards nothing here: outbox rows are only
written set-based from `shipments.account_id`, itself a checked foreign key, or from an
account the use case has just loaded, and accounts are never deleted (keys are revoked).

SQLite keeps the check: it is cheap there, and dropping it means rebuilding a table that
`webhook_deliveries` points into, which needs foreign keys switched off, and that cannot be
done inside the migration's transaction.

Revision ID: tracking_0003
Revises: tracking_0002
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "tracking_0003"
down_revision = "tracking_0002"
branch_labels = None
depends_on = None

NAME = "fk_outbox_events_account_id_accounts"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(NAME, "outbox_events", type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_foreign_key(NAME, "outbox_events", "accounts", ["account_id"], ["id"])

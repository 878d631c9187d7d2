"""Customs: who added or ended each national fee row (audit), and manifest job progress.

Revision ID: customs_0003
Revises: customs_0002
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "customs_0003"
down_revision = "customs_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_fee_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("fee_id", sa.Integer, nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("ix_customs_fee_audit_fee_id", "customs_fee_audit", ["fee_id"])
    with op.batch_alter_table("customs_manifest_jobs") as batch:
        batch.add_column(sa.Column("rows_done", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("rows_total", sa.Integer, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("customs_manifest_jobs") as batch:
        batch.drop_column("rows_total")
        batch.drop_column("rows_done")
    op.drop_index("ix_customs_fee_audit_fee_id", "customs_fee_audit")
    op.drop_table("customs_fee_audit")

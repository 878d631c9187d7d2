"""Capacity planning: the plans table (background plan jobs and their results).

Revision ID: planning_0001
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "planning_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_plans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("week", sa.String(10), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_planning_plans_account_id", "planning_plans", ["account_id"])


def downgrade() -> None:
    op.drop_index("ix_planning_plans_account_id", table_name="planning_plans")
    op.drop_table("planning_plans")

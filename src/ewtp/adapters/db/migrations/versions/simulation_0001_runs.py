"""Peak-day simulation: the simulation_runs table.

Revision ID: simulation_0001
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "simulation_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "simulation_runs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("request", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_simulation_runs_account_id", "simulation_runs", ["account_id"])
    op.create_index("ix_simulation_runs_created_at", "simulation_runs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_simulation_runs_created_at", table_name="simulation_runs")
    op.drop_index("ix_simulation_runs_account_id", table_name="simulation_runs")
    op.drop_table("simulation_runs")

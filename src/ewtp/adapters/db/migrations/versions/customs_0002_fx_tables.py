"""Customs: CN customs and national exchange-rate tables (Art. 146, GACC Art. 16).

Revision ID: customs_0002
Revises: customs_0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "customs_0002"
down_revision = "customs_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_fx_table_rates",
        sa.Column("table_name", sa.String(20), primary_key=True),
        sa.Column("rate_date", sa.Date, primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("rate", sa.Numeric(24, 10), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("customs_fx_table_rates")

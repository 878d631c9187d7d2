"""Customs: CBEC buyer usage, loaded ECB rates, operator fees, tariff lines, manifest jobs.

Revision ID: customs_0001
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "customs_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customs_cbec_usage",
        sa.Column("buyer_id", sa.String(200), primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("used_cny", sa.Numeric(16, 2), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "customs_fx_rates",
        sa.Column("rate_date", sa.Date, primary_key=True),
        sa.Column("currency", sa.String(3), primary_key=True),
        sa.Column("rate", sa.Numeric(18, 6), nullable=False),
        sa.Column("source", sa.String(200), nullable=False),
    )
    op.create_table(
        "customs_fees",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("amount", sa.Numeric(12, 4), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("per", sa.String(10), nullable=False),
        sa.Column("lvc_only", sa.Boolean, nullable=False),
        sa.Column("valid_from", sa.Date, nullable=False),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_customs_fees_country", "customs_fees", ["country"])
    op.create_table(
        "customs_tariff_lines",
        sa.Column("hs6", sa.String(6), primary_key=True),
        sa.Column("valid_from", sa.Date, primary_key=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("rate", sa.Numeric(8, 3), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_table(
        "customs_manifest_jobs",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("input_path", sa.Text, nullable=False),
        sa.Column("result_path", sa.Text, nullable=False),
        sa.Column("consignments", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("message", sa.Text, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_customs_manifest_jobs_account_id", "customs_manifest_jobs", ["account_id"])


def downgrade() -> None:
    op.drop_table("customs_manifest_jobs")
    op.drop_table("customs_tariff_lines")
    op.drop_table("customs_fees")
    op.drop_table("customs_fx_rates")
    op.drop_table("customs_cbec_usage")

"""Merchant platform: quotes, quote options, idempotency keys, shipment details, S10 counters.

Revision ID: merchant_0001
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "merchant_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "merchant_quotes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("origin_hub", sa.String(8), nullable=False),
        sa.Column("ready_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_merchant_quotes_account_id", "merchant_quotes", ["account_id"])
    op.create_table(
        "merchant_quote_options",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("quote_id", sa.String(36), sa.ForeignKey("merchant_quotes.id"), nullable=False),
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
    )
    op.create_index("ix_merchant_quote_options_quote_id", "merchant_quote_options", ["quote_id"])
    op.create_index(
        "ix_merchant_quote_options_account_id", "merchant_quote_options", ["account_id"]
    )
    op.create_table(
        "merchant_idempotency_keys",
        sa.Column("account_id", sa.String(36), sa.ForeignKey("accounts.id"), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("media_type", sa.String(100), nullable=True),
    )
    op.create_index(
        "ix_merchant_idempotency_keys_created_at", "merchant_idempotency_keys", ["created_at"]
    )
    op.create_table(
        "merchant_shipment_details",
        sa.Column("shipment_id", sa.String(36), sa.ForeignKey("shipments.id"), primary_key=True),
        sa.Column("request", sa.JSON(), nullable=False),
        sa.Column("reference", sa.String(100), nullable=True),
        sa.Column("quote_option_id", sa.String(36), nullable=True),
        sa.Column("option", sa.JSON(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("customs", sa.JSON(), nullable=True),
        sa.Column("label_pdf", sa.LargeBinary(), nullable=True),
    )
    op.create_table(
        "merchant_s10_counters",
        sa.Column("indicator", sa.String(2), primary_key=True),
        sa.Column("country", sa.String(2), primary_key=True),
        sa.Column("last_serial", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("merchant_s10_counters")
    op.drop_table("merchant_shipment_details")
    op.drop_table("merchant_idempotency_keys")
    op.drop_table("merchant_quote_options")
    op.drop_table("merchant_quotes")

"""Hub: the sort decision log and loaded hub models.

Revision ID: hub_0001
Revises: 0001
Create Date: 2026-12-01

The log is append-only; KPIs read it by (hub, scanned_at) and a parcel's latest
decision by (hub, tracking_number, id). On PostgreSQL the id is a cached sequence, so
a batch of 10,000 decisions does not take 10,000 sequence round trips.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub_0001"
down_revision = "0001"
branch_labels = None
depends_on = None

_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "hub_sort_decisions",
        sa.Column("id", _BIG_ID, primary_key=True, autoincrement=True),
        sa.Column("hub", sa.String(8), nullable=False),
        sa.Column("tracking_number", sa.String(40), nullable=False),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(36), nullable=True),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("chute", sa.String(16), nullable=False),
        sa.Column("service_id", sa.String(40), nullable=True),
        sa.Column("departure_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cutoff_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expected_delivery_utc", sa.DateTime(timezone=True), nullable=True),
        sa.Column("promise_holds", sa.Boolean, nullable=True),
        sa.Column("booked_service_id", sa.String(40), nullable=True),
        sa.Column("booked_departure_utc", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_hub_sort_decisions"),
    )
    op.create_index("ix_hub_sort_decisions_scanned", "hub_sort_decisions", ["hub", "scanned_at"])
    op.create_index(
        "ix_hub_sort_decisions_parcel", "hub_sort_decisions", ["hub", "tracking_number", "id"]
    )
    op.create_table(
        "hub_models",
        sa.Column("code", sa.String(8), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("rows", sa.JSON, nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_hub_models"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER SEQUENCE hub_sort_decisions_id_seq CACHE 1000")


def downgrade() -> None:
    op.drop_table("hub_models")
    op.drop_index("ix_hub_sort_decisions_parcel", table_name="hub_sort_decisions")
    op.drop_index("ix_hub_sort_decisions_scanned", table_name="hub_sort_decisions")
    op.drop_table("hub_sort_decisions")

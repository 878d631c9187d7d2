"""Network: hubs, scheduled services, delivery zones and the network version.

Revision ID: network_0001
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "network_0001"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "network_meta",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "network_hubs",
        sa.Column("code", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("min_connection_minutes", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_table(
        "network_services",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("valid_from", sa.Date, primary_key=True),
        sa.Column("valid_to", sa.Date, nullable=True),
        sa.Column("mode", sa.String(8), nullable=False),
        sa.Column("origin", sa.String(8), nullable=False),
        sa.Column("destination", sa.String(8), nullable=False),
        sa.Column("days", sa.String(7), nullable=False),
        sa.Column("departure_local", sa.String(5), nullable=False),
        sa.Column("duration_minutes", sa.Integer, nullable=False),
        sa.Column("capacity_kg", sa.String(24), nullable=False),
        sa.Column("capacity_m3", sa.String(24), nullable=False),
        sa.Column("cost_per_kg", sa.String(24), nullable=False),
        sa.Column("co2_kg_per_kg", sa.String(24), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )
    op.create_index("ix_network_services_origin", "network_services", ["origin"])
    op.create_table(
        "network_zones",
        sa.Column("country", sa.String(2), primary_key=True),
        sa.Column("hub", sa.String(8), nullable=False),
        sa.Column("last_mile_hours", sa.String(24), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("network_zones")
    op.drop_table("network_services")
    op.drop_table("network_hubs")
    op.drop_table("network_meta")

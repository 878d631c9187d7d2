"""Hub: hourly totals of the sort decision log, for the console's hub page.

Revision ID: hub_0002
Revises: hub_0001
Create Date: 2026-12-02

The hub page charts a day of decisions (a million on a peak day) and polls every 15 s;
reading them all each time took seconds. `hub_decision_hours` keeps decisions per hub
and UTC hour, `hub_decision_misses` rerouted ones per booked departure; the log's writer
adds to both in its own transaction. A partial index on reroutes serves the edges of a
window. The totals of decisions already logged are filled in here.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "hub_0002"
down_revision = "hub_0001"
branch_labels = None
depends_on = None

_WHERE = sa.text("reason = 'rerouted'")


def upgrade() -> None:
    op.create_table(
        "hub_decision_hours",
        sa.Column("hub", sa.String(8), nullable=False),
        sa.Column("hour_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("hub", "hour_utc", name="pk_hub_decision_hours"),
    )
    op.create_table(
        "hub_decision_misses",
        sa.Column("hub", sa.String(8), nullable=False),
        sa.Column("hour_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("booked_service_id", sa.String(40), nullable=False),
        sa.Column("booked_departure_utc", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rerouted", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint(
            "hub", "hour_utc", "booked_service_id", "booked_departure_utc",
            name="pk_hub_decision_misses",
        ),
    )  # fmt: skip
    op.create_index(
        "ix_hub_sort_decisions_rerouted", "hub_sort_decisions", ["hub", "scanned_at"],
        sqlite_where=_WHERE, postgresql_where=_WHERE,
    )  # fmt: skip
    hour = (
        "date_trunc('hour', scanned_at, 'UTC')"
        if op.get_bind().dialect.name == "postgresql"
        else "strftime('%Y-%m-%d %H:00:00.000000', scanned_at)"
    )
    op.execute(
        f"INSERT INTO hub_decision_hours (hub, hour_utc, decided) "
        f"SELECT hub, {hour}, count(*) FROM hub_sort_decisions GROUP BY hub, {hour}"
    )
    op.execute(
        f"INSERT INTO hub_decision_misses (hub, hour_utc, booked_service_id, booked_departure_utc, "
        f"rerouted) SELECT hub, {hour}, booked_service_id, booked_departure_utc, count(*) "
        f"FROM hub_sort_decisions WHERE reason = 'rerouted' AND booked_service_id IS NOT NULL "
        f"AND booked_departure_utc IS NOT NULL "
        f"GROUP BY hub, {hour}, booked_service_id, booked_departure_utc"
    )


def downgrade() -> None:
    op.drop_index("ix_hub_sort_decisions_rerouted", table_name="hub_sort_decisions")
    op.drop_table("hub_decision_misses")
    op.drop_table("hub_decision_hours")

"""Alembic environment: runs migrations on the connection handed in by `migrate.upgrade`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import ewtp.adapters.db.tables  # noqa: F401  (registers every table on Base.metadata)
from ewtp.adapters.db.base import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through migrate.upgrade
    raise RuntimeError("run migrations through `ewtp db upgrade`")
_run(connection)

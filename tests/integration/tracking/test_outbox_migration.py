"""Migration tracking_0003 on a database that already holds webhook traffic.

The rows on both sides of `webhook_deliveries -> outbox_events` must survive; on PostgreSQL
the account check must really be gone, and SQLite keeps it (see the migration).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, text

from ewtp.adapters.db.engine import make_engine
from ewtp.adapters.db.migrate import MIGRATIONS, upgrade
from support.postgres import PostgresServer

_names = itertools.count()
AT = "2026-11-20 08:00:00+00:00"


def empty_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        return make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    postgres: PostgresServer = request.getfixturevalue("postgres")
    name = f"ewtp_migration_{next(_names)}"
    admin = make_engine(postgres.url()).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_engine(postgres.url(name))


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_dropping_the_account_check_keeps_events_and_deliveries(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    engine = empty_database(backend, request, tmp_path)
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "tracking_0002")
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO accounts VALUES ('acc', 'M', 'merchant', '{AT}')"))
        conn.execute(
            text(
                "INSERT INTO outbox_events (id, account_id, event_type, shipment_id, payload,"
                f" occurred_at, created_at) VALUES ('evt_1', 'acc', 'tracking.updated', NULL,"
                f" '{{\"a\": 1}}', '{AT}', '{AT}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO webhook_endpoints (id, account_id, url, events, secret, failing,"
                f" created_at) VALUES ('ep', 'acc', 'https://h.example.com', '[]', 's', false,"
                f" '{AT}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, attempts,"
                f" created_at) VALUES ('del', 'ep', 'evt_1', 'pending', 0, '{AT}')"
            )
        )
    assert "tracking_0003" in upgrade(engine)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT payload FROM outbox_events")).scalar_one() in (
            {"a": 1},
            '{"a": 1}',
        )
        assert conn.execute(text("SELECT event_id FROM webhook_deliveries")).scalar_one() == "evt_1"
    if backend == "sqlite":
        engine.dispose()
        return
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO outbox_events (id, account_id, event_type, payload, occurred_at,"
                f" created_at) VALUES ('evt_2', 'no-such-account', 'tracking.updated', '{{}}',"
                f" '{AT}', '{AT}')"
            )
        )
    engine.dispose()

"""Tracking migrations on databases that already hold data, on SQLite and PostgreSQL.

- tracking_0003: the rows on both sides of `webhook_deliveries -> outbox_events` survive;
  on PostgreSQL the account check is really gone, SQLite keeps it (see the migration).
- tracking_0004: old rows and rows by reference read alike; the downgrade restores JSON.
- tracking_0006: every shipment gets the time of its latest stored scan.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, select, text

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import MIGRATIONS, upgrade
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox
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
    _to(engine, "tracking_0002")
    with engine.begin() as conn:
        _account_and_event(conn, "evt_1")
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


def _account_and_event(conn: Connection, event_id: str) -> None:
    """Account `acc` and one outbox row with its JSON `{"a": 1}`, as every version wrote."""
    conn.execute(text(f"INSERT INTO accounts VALUES ('acc', 'M', 'merchant', '{AT}')"))
    conn.execute(
        text(
            "INSERT INTO outbox_events (id, account_id, event_type, shipment_id, payload,"
            f" occurred_at, created_at) VALUES ('{event_id}', 'acc', 'tracking.updated', NULL,"
            f" '{{\"a\": 1}}', '{AT}', '{AT}')"
        )
    )


def _to(engine: Engine, revision: str, *, down: bool = False) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def _payloads(engine: Engine) -> dict[str, Any]:
    with make_session_factory(engine)() as session:
        return {e.id: e.payload for e in SqlAlchemyOutbox(session).claim_undispatched(10)}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_outbox_rows_by_reference_read_like_rows_with_their_json(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    engine = empty_database(backend, request, tmp_path)
    _to(engine, "tracking_0003")
    with engine.begin() as conn:
        _account_and_event(conn, "evt_old")
    assert "tracking_0004" in upgrade(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO tracking_events (id, tracking_number, code, milestone, reason,"
                " occurred_at, hub, description, source_event_id, received_at) VALUES (7,"
                " 'LP000000014CN', 'customs_hold', 'customs_hold', 'customs_inspection',"
                f" '2026-11-20 09:30:00.250000+00:00', 'LGG', 'x-ray \"B\"', NULL, '{AT}')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO outbox_events (id, account_id, event_type, shipment_id, payload,"
                " occurred_at, created_at, tracking_event_id, status, previous_status) VALUES"
                f" ('evt_ref', 'acc', 'tracking.updated', 'shp', 'null', '{AT}', '{AT}', 7,"
                " 'customs_hold', 'in_transit')"
            )
        )
    # Written out by hand from the webhook contract, not from the code under test.
    expected = {
        "shipment_id": "shp",
        "tracking_number": "LP000000014CN",
        "status": "customs_hold",
        "previous_status": "in_transit",
        "events": [
            {
                "code": "customs_hold",
                "status": "customs_hold",
                "reason": "customs_inspection",
                "occurred_at": "2026-11-20T09:30:00.250000+00:00",
                "hub": "LGG",
                "description": 'x-ray "B"',
                "source_event_id": None,
            }
        ],
    }
    assert _payloads(engine) == {"evt_old": {"a": 1}, "evt_ref": expected}
    if backend == "postgresql":  # only PostgreSQL writes rows by reference
        _to(engine, "tracking_0003", down=True)
        assert _payloads_raw(engine) == {"evt_old": {"a": 1}, "evt_ref": expected}
    engine.dispose()


def _payloads_raw(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT id, payload FROM outbox_events")).all()
    return {str(row[0]): row[1] for row in rows}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_existing_shipments_get_their_latest_scan_time(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    engine = empty_database(backend, request, tmp_path)
    _to(engine, "tracking_0005")
    scans = {  # number -> scan times, not in time order
        "LP000000014CN": ["2026-11-20 09:00:00+00:00", "2026-11-21 07:30:00.500000+00:00",
                          "2026-11-20 23:00:00+00:00"],
        "LP000000028CN": ["2026-11-19 12:00:00+00:00"],
        "LP000000031CN": [],
    }  # fmt: skip
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO accounts VALUES ('acc', 'M', 'merchant', '{AT}')"))
        for n, (number, times) in enumerate(scans.items()):
            conn.execute(
                text(
                    "INSERT INTO shipments (id, account_id, status, tracking_number, created_at,"
                    f" updated_at) VALUES ('s{n}', 'acc', 'in_transit', '{number}', '{AT}',"
                    f" '{AT}')"
                )
            )
            for at in times:
                conn.execute(
                    text(
                        "INSERT INTO tracking_events (tracking_number, code, milestone,"
                        " occurred_at, hub, received_at) VALUES"
                        f" ('{number}', 'arrived', 'arrived', '{at}', 'LGG', '{AT}')"
                    )
                )
    assert "tracking_0006" in upgrade(engine)
    with make_session_factory(engine)() as session:
        rows = session.execute(select(ShipmentRow.tracking_number, ShipmentRow.last_scan_at)).all()
        kept = dict(rows)
    engine.dispose()
    assert kept == {
        "LP000000014CN": datetime(2026, 11, 21, 7, 30, 0, 500000, tzinfo=UTC),
        "LP000000028CN": datetime(2026, 11, 19, 12, 0, tzinfo=UTC),
        "LP000000031CN": None,
    }

"""The overview's figures on SQLite and PostgreSQL, against shipments placed by hand."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.merchant_web.overview import SqlAlchemyOverviewUnitOfWork
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import ShipmentTrackingRow, TrackingEventRow
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.s10 import make_s10
from ewtp.services.accounts import create_account
from ewtp.services.merchant_web.overview import merchant_overview

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_counts_on_time_share_watch_list_and_exceptions(db_url: str) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    mine = create_account(SqlAlchemyUnitOfWork(factory), "Mine", Role.MERCHANT, NOW).account.id
    other = create_account(SqlAlchemyUnitOfWork(factory), "Other", Role.MERCHANT, NOW).account.id
    serial = iter(range(1, 100))
    ids: dict[str, str] = {}

    def add(
        name: str,
        status: str,
        *,
        account: str = mine,
        ready_days_ago: float = 5,
        took_hours: float | None = None,
    ) -> str:
        ready = NOW - timedelta(days=ready_days_ago)
        sid, number = str(uuid.uuid4()), make_s10("EE", next(serial), "CN")
        with factory() as s:
            s.add(ShipmentRow(
                id=sid, account_id=account, status=status, tracking_number=number,
                origin_hub="HGH", destination_country="FR", ready_at=ready,
                promised_by=ready + timedelta(hours=90), created_at=ready, updated_at=ready,
                last_scan_at=ready + timedelta(hours=took_hours) if took_hours is not None else None,
            ))  # fmt: skip
            s.commit()
        ids[name] = sid
        return number

    add("fast", "delivered", took_hours=60)  # on time
    add("edge", "delivered", took_hours=72)  # exactly 72 h: on time
    add("late", "delivered", took_hours=73)  # late (even though promised_by is 90 h)
    add("old", "delivered", ready_days_ago=40, took_hours=10)  # outside the 30 days
    add("theirs", "delivered", account=other, took_hours=100)
    held = add("held", "in_transit", took_hours=20)
    add("risky", "in_transit", took_hours=10)
    add("stuck", "exception", took_hours=30)
    add("draft", "draft")
    with factory() as s:
        at = NOW - timedelta(days=5) + timedelta(hours=20)
        s.add(TrackingEventRow(tracking_number=held, code="customs_inspection", milestone="customs_hold",
                               occurred_at=at, hub="LGG", received_at=at))  # fmt: skip
        s.add(ShipmentTrackingRow(shipment_id=ids["risky"], promise_at_risk=True, updated_at=NOW))
        s.commit()
    figures = merchant_overview(SqlAlchemyOverviewUnitOfWork(factory), mine, NOW)
    engine.dispose()
    assert figures.by_status[ShipmentStatus.DELIVERED] == 4
    assert figures.by_status[ShipmentStatus.IN_TRANSIT] == 2
    assert figures.by_status[ShipmentStatus.DRAFT] == 1
    assert figures.by_status[ShipmentStatus.RETURNED] == 0
    assert (figures.delivered_30d, figures.on_time_30d) == (3, 2)
    assert figures.on_time_share == 2 / 3
    assert [(w.shipment_id, w.why) for w in figures.watched] == [
        (ids["held"], "customs_hold"), (ids["risky"], "at_risk"),
    ]  # fmt: skip
    assert [w.shipment_id for w in figures.exceptions] == [ids["stuck"]]

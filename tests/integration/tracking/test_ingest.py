"""Ingestion against the real database, SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import threading
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import OutboxEventRow, TrackingEventRow
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.s10 import make_s10
from ewtp.domain.tracking.scans import RawEvent
from ewtp.domain.tracking.timeline import ScanEvent, derive_timeline
from ewtp.domain.webhooks.model import Endpoint
from ewtp.services.tracking.ingest_events import ingest_events
from integration.tracking.conftest import NOW, Db
from integration.tracking.shipments import BOOKED_AT, add_shipments
from unit.tracking.strategies import canonical, scan_events

SERIALS = itertools.count(1_000)


def raw(number: str, code: str, hour: float, hub: str, source: str | None = None) -> RawEvent:
    return RawEvent(number, code, BOOKED_AT + timedelta(hours=hour), hub, None, source)


def status_of(db: Db, number: str) -> str:
    with db.factory() as s:
        return s.scalars(
            select(ShipmentRow.status).where(ShipmentRow.tracking_number == number)
        ).one()


def subscribe(db: Db, account_id: str, *events: str) -> None:
    with db.uow() as uow:
        uow.webhooks.add_endpoint(
            Endpoint("ep-" + account_id[:8], account_id, "http://127.0.0.1:9/h",
                     events or ("tracking.updated", "shipment.delivered"), "whsec_x", NOW)
        )  # fmt: skip
        uow.commit()


def test_batch_counts_accepted_duplicates_and_rejections_with_reasons(db: Db) -> None:
    merchant = db.account("M").account
    (number,) = add_shipments(db.factory, merchant.id, [15])
    unknown = make_s10("LP", 99, "CN")
    result = ingest_events(
        db.uow(),
        [
            raw(number, "accepted", 0, "HGH"),
            raw(number, "accepted", 0, "hgh"),  # same code, time and hub: a duplicate
            raw(number, "departed", 2, "HGH", "scan-1"),
            raw(number, "arrived", 3, "LGG", "scan-1"),  # same source id: a duplicate
            raw(unknown, "accepted", 0, "HGH"),
            raw("LP000000016CN", "accepted", 0, "HGH"),
            raw(number, "teleported", 4, "HGH"),
            RawEvent(number, "arrived", "2026-11-20T12:00:00", "LGG"),
        ],
        NOW,
    )
    assert (result.accepted, result.duplicates, result.rejected) == (2, 2, 4)
    reasons = {(r.index, r.field): r.reason for r in result.rejections}
    assert reasons[(4, "tracking_number")] == "unknown tracking number"
    assert "check digit" in reasons[(5, "tracking_number")]
    assert "unknown scan code" in reasons[(6, "code")]
    assert "UTC offset" in reasons[(7, "occurred_at")]
    assert status_of(db, number) == "in_transit"
    again = ingest_events(db.uow(), [raw(number, "accepted", 0, "HGH")], NOW)
    assert (again.accepted, again.duplicates) == (0, 1)


def test_late_events_keep_time_order_and_anomalies_are_stored(db: Db) -> None:
    merchant = db.account("M").account
    (number,) = add_shipments(db.factory, merchant.id, [15])
    ingest_events(db.uow(), [raw(number, "delivered", 40, "LGG")], NOW)
    assert status_of(db, number) == "delivered"
    late = ingest_events(
        db.uow(), [raw(number, "departed", 41, "HGH"), raw(number, "accepted", 0, "HGH")], NOW
    )
    assert late.accepted == 2
    assert late.anomalies == 1
    assert status_of(db, number) == "delivered"
    with db.factory() as s:
        rows = s.execute(
            select(TrackingEventRow.code, TrackingEventRow.anomaly)
            .where(TrackingEventRow.tracking_number == number)
            .order_by(TrackingEventRow.occurred_at)
        ).all()
    assert [(code, bool(anomaly)) for code, anomaly in rows] == [
        ("accepted", False), ("delivered", False), ("departed", True),
    ]  # fmt: skip
    ingest_events(db.uow(), [raw(number, "returned", 60, "LGG")], NOW)
    assert status_of(db, number) == "returned"


def test_outbox_rows_commit_with_the_change_and_only_for_subscribers(db: Db) -> None:
    subscribed = db.account("A").account
    silent = db.account("B").account
    subscribe(db, subscribed.id)
    (mine,) = add_shipments(db.factory, subscribed.id, [1])
    (theirs,) = add_shipments(db.factory, silent.id, [2])
    ingest_events(
        db.uow(),
        [raw(mine, "accepted", 0, "HGH"), raw(mine, "delivered", 30, "LGG"),
         raw(theirs, "accepted", 0, "HGH")],
        NOW,
    )  # fmt: skip
    with db.factory() as s:
        rows = s.execute(select(OutboxEventRow.account_id, OutboxEventRow.event_type)).all()
    assert sorted(rows) == [
        (subscribed.id, "shipment.delivered"),
        (subscribed.id, "tracking.updated"),
    ]


def test_a_failed_batch_writes_neither_events_nor_status_nor_outbox(
    db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    merchant = db.account("M").account
    subscribe(db, merchant.id)
    (number,) = add_shipments(db.factory, merchant.id, [15])

    def explode(*_args: object) -> None:
        raise RuntimeError("crash between the state change and commit")

    from ewtp.adapters.db.tracking.set_fold import PgSetFold
    from ewtp.adapters.db.webhooks.outbox import SqlAlchemyOutbox

    # The outbox write of whichever path runs: per shipment, or set-based on PostgreSQL.
    monkeypatch.setattr(SqlAlchemyOutbox, "add_many", explode)
    monkeypatch.setattr(PgSetFold, "queue_appended_set", explode)
    with pytest.raises(RuntimeError):
        ingest_events(db.uow(), [raw(number, "accepted", 0, "HGH")], NOW)
    with db.factory() as s:
        assert s.scalar(select(func.count()).select_from(TrackingEventRow)) == 0
        assert s.scalar(select(func.count()).select_from(OutboxEventRow)) == 0
    assert status_of(db, number) == "booked"


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(stream=st.lists(scan_events(), min_size=1, max_size=15), data=st.data())
def test_stored_status_and_timeline_equal_the_pure_fold_whatever_the_batching(
    db: Db, stream: list[ScanEvent], data: st.DataObject
) -> None:
    merchant = db.account("M").account
    serial = next(SERIALS)  # a fresh parcel per example, whatever the database holds
    number = make_s10("LP", serial, "CN")
    add_shipments(db.factory, merchant.id, [serial])
    distinct = [e.__class__(**{**_fields(e), "tracking_number": number}) for e in canonical(stream)]
    arrivals = data.draw(st.permutations(distinct + distinct[: len(distinct) // 2]))
    cut = sorted(data.draw(st.lists(st.integers(0, len(arrivals)), max_size=3)))
    for lo, hi in zip([0, *cut], [*cut, len(arrivals)], strict=True):
        if hi > lo:
            ingest_events(db.uow(), arrivals[lo:hi], NOW)
    truth = derive_timeline(distinct, ShipmentStatus.BOOKED)
    assert status_of(db, number) == truth.status.value
    with db.uow() as uow:
        stored = uow.tracking.timelines([number])[number]
    by_key = {(r.event.order_key): r.anomaly for r in stored}
    assert sorted(by_key) == [e.event.order_key for e in truth.timeline]
    assert [by_key[e.event.order_key] for e in truth.timeline] == [
        e.anomaly for e in truth.timeline
    ]
    with db.factory() as s:
        kept = s.scalar(
            select(ShipmentRow.last_scan_at).where(ShipmentRow.tracking_number == number)
        )
    assert kept == max(e.occurred_at for e in distinct)


def _fields(e: ScanEvent) -> dict[str, object]:
    return {name: getattr(e, name) for name in e.__slots__}  # type: ignore[attr-defined]


def test_concurrent_batches_never_store_a_scan_twice(pg_db: Db) -> None:
    merchant = pg_db.account("M").account
    numbers = list(add_shipments(pg_db.factory, merchant.id, range(1, 201)))
    batch = [
        raw(n, code, h, "HGH") for n in numbers for h, code in enumerate(("accepted", "departed"))
    ]
    results = []

    def run(events: list[RawEvent]) -> None:
        results.append(ingest_events(pg_db.uow(), events, NOW))

    threads = [
        threading.Thread(target=run, args=(list(reversed(batch)) if i % 2 else batch,))
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.accepted for r in results) == len(batch)
    assert sum(r.duplicates for r in results) == 3 * len(batch)
    with pg_db.factory() as s:
        assert s.scalar(select(func.count()).select_from(TrackingEventRow)) == len(batch)
        statuses = set(s.scalars(select(ShipmentRow.status)))
    assert statuses == {"in_transit"}


@pytest.mark.parametrize("set_fold", [True, False])
def test_a_batch_that_waited_for_locks_folds_over_the_scans_committed_meanwhile(
    pg_db: Db, set_fold: bool
) -> None:
    """Earlier scans arriving while later ones commit: every parcel still ends delivered."""
    from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork

    merchant = pg_db.account("M").account
    for _ in range(3):
        numbers = list(
            add_shipments(pg_db.factory, merchant.id, [next(SERIALS) for _ in range(150)])
        )
        early = [
            raw(n, code, h, "HGH")
            for n in numbers
            for h, code in ((0, "accepted"), (2, "departed"))
        ]
        late = [raw(n, "delivered", 30, "LGG") for n in numbers]
        threads = [
            threading.Thread(
                target=ingest_events,
                args=(SqlAlchemyTrackingUnitOfWork(pg_db.factory, set_fold=set_fold), b, NOW),
            )
            for b in (late, early)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert {status_of(pg_db, n) for n in numbers} == {"delivered"}

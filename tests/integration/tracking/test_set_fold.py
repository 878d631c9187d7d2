"""The set-based fold (PostgreSQL) stores exactly what the per-shipment fold stores.

Random scan streams of several parcels, with replays, shuffled and cut into random
batches, are ingested twice: once with the SQL fold of the common case, once with it
turned off (every shipment folded in Python, as on SQLite). Statuses, timelines with
their anomaly flags, outbox rows and live ETAs must be the same, and the status must be
the pure in-memory fold's.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import ShipmentTrackingRow
from ewtp.adapters.db.tracking.repository import SqlAlchemyTrackingRepository
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.s10 import make_s10
from ewtp.domain.tracking.timeline import ScanEvent, derive_timeline, tracking_base_status
from ewtp.domain.webhooks.model import EVENT_TYPES, Endpoint
from ewtp.services.tracking.ingest_events import ingest_events
from ewtp.services.tracking.live_eta import RouteEta
from integration.tracking.conftest import NOW, Db
from integration.tracking.network import load_builtin_network
from integration.tracking.shipments import add_shipments
from unit.tracking.strategies import canonical, scan_events

SERIALS = itertools.count(5_000_000)
LOADED: set[str] = set()
STARTS = ("booked", "booked", "draft", "cancelled")


@pytest.fixture
def net_db(pg_db: Db) -> Db:
    if pg_db.url not in LOADED:
        load_builtin_network(pg_db.factory)
        LOADED.add(pg_db.url)
    return pg_db


def _parcels(db: Db, starts: list[str]) -> tuple[str, list[str]]:
    account = db.account("M").account
    with db.uow() as uow:
        uow.webhooks.add_endpoint(
            Endpoint("ep-" + account.id[:8], account.id, "http://127.0.0.1:9/h", EVENT_TYPES,
                     "whsec_x", NOW)
        )  # fmt: skip
        uow.commit()
    numbers = []
    for start in starts:
        serial = next(SERIALS)
        add_shipments(db.factory, account.id, [serial], status=start, promised_hours=40)
        numbers.append(make_s10("LP", serial, "CN"))
    return account.id, numbers


def _run(
    db: Db, set_fold: bool, starts: list[str], batches: list[list[tuple[int, ScanEvent]]]
) -> tuple[list[str], dict[str, Any]]:
    account_id, numbers = _parcels(db, starts)
    eta = RouteEta(lambda: SqlAlchemyNetworkUnitOfWork(db.factory))
    for batch in batches:
        events = [_renumber(e, numbers[p]) for p, e in batch]
        ingest_events(
            SqlAlchemyTrackingUnitOfWork(db.factory, set_fold=set_fold), events, NOW, eta=eta
        )
    return numbers, _stored(db, account_id, numbers)


def _renumber(e: ScanEvent, number: str) -> ScanEvent:
    return ScanEvent(number, e.code, e.milestone, e.reason, e.occurred_at, e.hub,
                     e.description, e.source_event_id)  # fmt: skip


def _stored(db: Db, account_id: str, numbers: list[str]) -> dict[str, Any]:
    """Everything ingestion writes, with this run's ids replaced by parcel positions."""
    position = {n: i for i, n in enumerate(numbers)}
    with db.factory() as s:
        ships = s.execute(
            select(
                ShipmentRow.id, ShipmentRow.tracking_number, ShipmentRow.status,
                ShipmentRow.last_scan_at,
            ).where(ShipmentRow.account_id == account_id)
        ).all()  # fmt: skip
        ids = {sid: position[number] for sid, number, _, _ in ships}
        etas = s.execute(
            select(ShipmentTrackingRow).where(ShipmentTrackingRow.shipment_id.in_(list(ids)))
        ).scalars()
        eta_rows = sorted(
            (ids[r.shipment_id], r.eta_at, r.eta_from_hub, tuple(r.planned_hubs or ()),
             r.promise_at_risk)
            for r in etas
        )  # fmt: skip
    with db.uow() as uow:
        timelines = uow.tracking.timelines(numbers)
        # Through the repository: the set-based fold stores its rows by reference to the
        # scan, and their data is built when read.
        outbox = [
            (e.event_type, e.shipment_id, e.occurred_at, e.payload)
            for e in uow.outbox.claim_undispatched(100_000)
            if e.account_id == account_id
        ]
    # The kept latest scan time is the timeline's own.
    for _, number, _, last_scan_at in ships:
        times = [r.event.occurred_at for r in timelines.get(number, [])]
        assert last_scan_at == (max(times) if times else None), number
    return {
        "status": sorted((position[n], status) for _, n, status, _ in ships),
        "timeline": sorted(
            (position[n], r.event.order_key, r.anomaly)
            for n, rows in timelines.items()
            for r in rows
        ),
        "outbox": sorted(
            (t, ids[sid], at, repr(_strip(payload, ids))) for t, sid, at, payload in outbox
        ),
        "eta": eta_rows,
    }


def _strip(payload: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    out = dict(payload)
    out.pop("tracking_number", None)
    out["shipment_id"] = ids[out["shipment_id"]]
    return out


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    streams=st.lists(st.lists(scan_events(), min_size=1, max_size=8), min_size=1, max_size=4),
    data=st.data(),
)
def test_set_fold_stores_what_the_per_shipment_fold_stores(
    net_db: Db, streams: list[list[ScanEvent]], data: st.DataObject
) -> None:
    starts = [data.draw(st.sampled_from(STARTS)) for _ in streams]
    tagged = [(p, e) for p, stream in enumerate(streams) for e in canonical(stream)]
    arrivals = data.draw(st.permutations(tagged + tagged[: len(tagged) // 3]))
    cut = sorted(data.draw(st.lists(st.integers(0, len(arrivals)), max_size=4)))
    batches = [
        arrivals[lo:hi] for lo, hi in zip([0, *cut], [*cut, len(arrivals)], strict=True) if hi > lo
    ]
    _, fast = _run(net_db, True, starts, batches)
    _, slow = _run(net_db, False, starts, batches)
    assert fast == slow
    for p, stream in enumerate(streams):
        truth = derive_timeline(canonical(stream), tracking_base_status(ShipmentStatus(starts[p])))
        assert (p, truth.status.value) in fast["status"]


def test_a_hub_batch_of_new_latest_scans_takes_the_set_path(net_db: Db) -> None:
    """Guard for the benchmark's case: no shipment is handed back to the Python fold."""
    from datetime import timedelta

    from integration.tracking.shipments import BOOKED_AT

    account_id, numbers = _parcels(net_db, ["booked"] * 3)
    eta = RouteEta(lambda: SqlAlchemyNetworkUnitOfWork(net_db.factory))
    seen: list[int] = []
    original = SqlAlchemyTrackingRepository.fold_appended_set

    def spy(self: SqlAlchemyTrackingRepository, *args: Any) -> Any:
        found = original(self, *args)
        seen.append(len(found[2]))
        return found

    SqlAlchemyTrackingRepository.fold_appended_set = spy  # type: ignore[method-assign]
    try:
        for hours, code, hub in ((0, "accepted", "HGH"), (3, "departed", "HGH")):
            events = [
                ScanEvent(n, code, *_milestone(code), BOOKED_AT + timedelta(hours=hours), hub)
                for n in numbers
            ]
            result = ingest_events(net_db.uow(), events, NOW, eta=eta)
            assert result.accepted == 3
    finally:
        SqlAlchemyTrackingRepository.fold_appended_set = original  # type: ignore[method-assign]
    assert seen == [0, 0]
    stored = _stored(net_db, account_id, numbers)
    assert [s for _, s in stored["status"]] == ["in_transit"] * 3
    assert [row[0] for row in stored["eta"]] == [0, 1, 2]


def _milestone(code: str) -> tuple[Any, Any]:
    from ewtp.domain.tracking.timeline import lookup_code

    found = lookup_code(code)
    return found.milestone, found.reason


def test_a_scan_tied_with_the_latest_stored_one_is_refolded(net_db: Db) -> None:
    """Same time as the stored `delivered`, but `departed` sorts first: no anomaly."""
    from integration.tracking.shipments import BOOKED_AT

    account_id, numbers = _parcels(net_db, ["booked"])
    (number,) = numbers
    at = BOOKED_AT
    ingest_events(
        net_db.uow(), [ScanEvent(number, "delivered", *_milestone("delivered"), at, "LGG")], NOW
    )
    ingest_events(
        net_db.uow(), [ScanEvent(number, "departed", *_milestone("departed"), at, "HGH")], NOW
    )
    stored = _stored(net_db, account_id, numbers)
    assert stored["status"] == [(0, "delivered")]
    assert [anomaly for _, _, anomaly in stored["timeline"]] == [None, None]

"""Merchant storage on SQLite and PostgreSQL: round trips, isolation, and the races that
unique constraints must win (S10 serials, Idempotency-Keys)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.db.tables.tracking import OutboxEventRow
from ewtp.adapters.merchant.engines import build_engines
from ewtp.domain.errors import NotFound
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.idempotency import Decision
from ewtp.domain.s10 import is_valid_s10
from ewtp.services.merchant.idempotency import complete_key, reserve_key
from ewtp.services.merchant.quotes import QuoteCommand
from ewtp.services.merchant.shipments import (
    BookCommand,
    book_shipment,
    create_shipment,
    get_label,
    get_shipment,
    list_shipments,
)
from unit.merchant.strategies import make_request

from .helpers import NOW, factory, merchant, merchant_api, seed_network, stored_quote

DAY = timedelta(hours=24)
LEASE = timedelta(seconds=600)


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    with factory(db_url) as made:
        yield made


def run_together(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Start `count` threads at one barrier and collect what each returns (or raises)."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def target(i: int) -> None:
        barrier.wait()
        try:
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def test_concurrent_serial_allocation_never_repeats(sessions: sessionmaker[Session]) -> None:

    def allocate(_: int) -> list[int]:
        got = []
        for _ in range(5):
            uow = SqlAlchemyMerchantUnitOfWork(sessions)
            with uow:
                got.append(uow.serials.next_serial("CP", "CN"))
                uow.commit()
        return got

    results = run_together(6, allocate)
    serials = [s for r in results for s in r]
    assert sorted(serials) == list(range(1, 31))


def test_two_reservations_of_one_key_at_once_let_exactly_one_proceed(
    sessions: sessionmaker[Session],
) -> None:
    acct = merchant(sessions)
    results = run_together(
        4,
        lambda _: (
            reserve_key(
                SqlAlchemyMerchantUnitOfWork(sessions), acct, "same", "p", NOW, DAY, LEASE
            ).decision
        ),
    )
    assert sorted(r.value for r in results) == ["proceed", "wait", "wait", "wait"]
    assert all(isinstance(r, Decision) for r in results)


def test_of_retries_racing_for_a_key_past_its_lease_exactly_one_takes_it_over(
    sessions: sessionmaker[Session],
) -> None:
    acct = merchant(sessions)
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    assert reserve_key(uow, acct, "stale", "p", NOW, DAY, LEASE).decision is Decision.PROCEED
    later = NOW + LEASE  # the holder never answered: its worker is presumed gone
    results = run_together(
        4,
        lambda _: reserve_key(
            SqlAlchemyMerchantUnitOfWork(sessions), acct, "stale", "p", later, DAY, LEASE
        ),
    )
    assert sorted(r.decision.value for r in results) == ["proceed", "wait", "wait", "wait"]
    winner = next(r for r in results if r.decision is Decision.PROCEED)
    assert winner.record.created_at == later
    # The first holder's late answer is ignored; the winner's is what retries replay.
    complete_key(uow, acct, "stale", 201, b"late", "application/json", leased_at=NOW)
    complete_key(uow, acct, "stale", 201, b"won", "application/json", leased_at=later)
    replay = reserve_key(uow, acct, "stale", "p", later, DAY, LEASE)
    assert replay.decision is Decision.REPLAY
    assert replay.record is not None
    assert replay.record.body == b"won"


def test_an_idempotency_key_sent_with_surrounding_blanks_replays_the_first_answer(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    from ewtp.api.schemas.examples import QUOTE_REQUEST

    with merchant_api(db_url, sessions) as (client, auth):
        answers = [
            client.post("/v1/quotes", json=QUOTE_REQUEST, headers={**auth, "Idempotency-Key": key})
            for key in (" order-7 ", " order-7 ", "order-7")
        ]
    first, *replays = answers
    assert first.status_code == 201, first.text
    for replay in replays:
        assert replay.status_code == 201, replay.text
        assert replay.headers.get("Idempotent-Replayed") == "true"
        assert replay.json() == first.json()


def test_shipments_round_trip_page_and_stay_with_their_merchant(
    sessions: sessionmaker[Session],
) -> None:
    acct, other = merchant(sessions), merchant(sessions, "Other")
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    made = [
        create_shipment(uow, acct, NOW + timedelta(seconds=i // 2), request=make_request()).id
        for i in range(7)
    ]
    assert get_shipment(uow, acct, made[0]).request == make_request()
    with pytest.raises(NotFound):
        get_shipment(uow, other, made[0])
    seen, after = [], None
    while True:
        page = list_shipments(uow, acct, limit=3, after=after)
        seen += [s.id for s in page.shipments]
        if page.next_after is None:
            break
        after = page.next_after
    assert sorted(seen) == sorted(made)
    assert len(seen) == 7
    assert list_shipments(uow, other).shipments == []
    window = list_shipments(
        uow, acct, created_from=NOW + timedelta(seconds=1), created_to=NOW + timedelta(seconds=3)
    )
    assert len(window.shipments) == 4


def test_booking_on_the_real_engines_commits_label_customs_and_the_event(
    sessions: sessionmaker[Session],
) -> None:
    seed_network(sessions)
    acct = merchant(sessions)
    engines = build_engines(sessions)
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    quote = stored_quote(sessions, engines, QuoteCommand(acct, make_request(), NOW))
    assert {o.service_level.value for o in quote.options} >= {"express"}
    draft = create_shipment(uow, acct, NOW, quote_option_id=quote.options[0].id)
    booked = book_shipment(
        uow,
        engines.planner,
        engines.customs,
        engines.labels,
        engines.card,
        engines.indicators,
        BookCommand(acct, draft.id, NOW + timedelta(minutes=1)),
    )
    assert booked.status is ShipmentStatus.BOOKED
    assert booked.tracking_number is not None
    assert is_valid_s10(booked.tracking_number)
    assert booked.tracking_number.endswith("CN")  # origin hub HGH is in China
    assert get_label(uow, acct, draft.id).startswith(b"%PDF-")
    with sessions() as session:
        events = session.scalar(
            select(func.count())
            .select_from(OutboxEventRow)
            .where(
                OutboxEventRow.shipment_id == draft.id,
                OutboxEventRow.event_type == "shipment.booked",
            )
        )
    assert events == 1


def test_the_per_minute_plan_cache_gives_exactly_the_uncached_plans(
    sessions: sessionmaker[Session],
) -> None:
    from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
    from ewtp.adapters.merchant.engines import RouteEnginePlanner
    from ewtp.domain.network.routing import promise_met
    from ewtp.services.network.routing import plan_route

    seed_network(sessions)
    planner = RouteEnginePlanner(sessions)
    start = NOW.replace(hour=17, minute=58)
    for seconds in range(0, 6 * 60, 17):  # readies straddling departures at whole minutes
        ready = start + timedelta(seconds=seconds)
        cached = planner.plan("HGH", "FR", ready)
        truth = plan_route(SqlAlchemyNetworkUnitOfWork(sessions), "HGH", "FR", ready)
        assert [o.delivered_utc for o in cached] == [o.delivered_utc for o in truth.options]
        assert [[leg.service_id for leg in o.legs] for o in cached] == [
            [leg.service_id for leg in o.legs] for o in truth.options
        ]
        assert [o.promise_met for o in cached] == [promise_met(ready, o) for o in truth.options]

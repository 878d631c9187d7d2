"""Concurrent bookings and cancels of one draft against the real server, on both databases.

The truth here is counted in the database itself (S10 counters, outbox rows, CBEC usage),
not taken from the answers: exactly one booking may win, and a change that lost leaves
no trace.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from ewtp.adapters.db.engine import make_engine
from ewtp.api.schemas.examples import QUOTE_REQUEST as EXAMPLE_REQUEST

from .conftest import Live, live_server

RACERS = 20
ROUNDS = 20
TO_CHINA: dict[str, Any] = {
    **EXAMPLE_REQUEST,
    "sender": {**EXAMPLE_REQUEST["sender"], "city": "Berlin", "postal_code": "10115",
               "country": "DE", "lines": ["Hauptstr. 1"]},
    "recipient": {"name": "Li Wei", "lines": ["1 Nanjing Rd"], "city": "Shanghai",
                  "postal_code": "200000", "country": "CN", "email": "li.wei@example.cn"},
    "parcels": [{**EXAMPLE_REQUEST["parcels"][0], "items": [
        {"description": "Infant formula", "hs_code": "19011010", "quantity": 2,
         "unit_value": "25.00", "currency": "EUR", "origin_country": "DE"}]}],
}  # fmt: skip


def at_once(*calls: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Run `calls` on their own threads, released together by a barrier."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], httpx.Response]) -> httpx.Response:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def draft(client: httpx.Client, body: dict[str, Any] | None = None) -> str:
    quoted = client.post("/v1/quotes", json=body or EXAMPLE_REQUEST)
    assert quoted.status_code == 201, quoted.text
    option = quoted.json()["options"][0]["id"]
    created = client.post("/v1/shipments", json={"quote_option_id": option})
    assert created.status_code == 201, created.text
    shipment_id: str = created.json()["id"]
    return shipment_id


def scalar(db_url: str, sql: str, **params: Any) -> Any:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def booked_events(db_url: str, shipment_id: str) -> int:
    count: int = scalar(
        db_url,
        "SELECT count(*) FROM outbox_events "
        "WHERE shipment_id = :id AND event_type = 'shipment.booked'",
        id=shipment_id,
    )
    return count


def new_client(live: Live) -> httpx.Client:
    """One connection per racer: a shared client would queue them on its pool."""
    return httpx.Client(base_url=live.base, headers=live.alice.headers, timeout=30)


def test_twenty_concurrent_bookings_of_one_draft_issue_one_number(live: Live) -> None:
    shipment_id = draft(live.alice)
    clients = [new_client(live) for _ in range(RACERS)]
    try:
        answers = at_once(
            *(lambda c=c: c.post(f"/v1/shipments/{shipment_id}/book") for c in clients)
        )
    finally:
        for client in clients:
            client.close()
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * (RACERS - 1), [a.text for a in answers if a.status_code >= 500]
    for lost in (a for a in answers if a.status_code == 409):
        assert lost.headers["content-type"].startswith("application/problem+json")
        assert "this one is booked" in lost.json()["detail"]
    winner = next(a.json() for a in answers if a.status_code == 200)
    issued = scalar(live.db_url, "SELECT sum(last_serial) FROM merchant_s10_counters")
    assert issued == 1  # one serial ever handed out: the winner's
    assert booked_events(live.db_url, shipment_id) == 1
    stored = live.alice.get(f"/v1/shipments/{shipment_id}").json()
    assert stored["status"] == "booked"
    assert stored["tracking_number"] == winner["tracking_number"]


def test_book_and_cancel_at_once_end_as_the_winning_answer_says(live: Live) -> None:
    drafts = [draft(live.alice) for _ in range(ROUNDS)]
    booker, canceller = new_client(live), new_client(live)
    outcomes = set()
    try:
        for shipment_id in drafts:
            book, cancel = at_once(
                lambda s=shipment_id: booker.post(f"/v1/shipments/{s}/book"),
                lambda s=shipment_id: canceller.post(f"/v1/shipments/{s}/cancel"),
            )
            pair = (book.status_code, cancel.status_code)
            final = live.alice.get(f"/v1/shipments/{shipment_id}").json()["status"]
            events = booked_events(live.db_url, shipment_id)
            if pair == (200, 409):  # the booking won: the cancel changed nothing
                assert (final, events) == ("booked", 1), cancel.text
            elif pair == (409, 200):  # the cancel won: no booking event may exist
                assert (final, events) == ("cancelled", 0), book.text
                assert "this one is cancelled" in book.json()["detail"]
            else:  # both won only one after the other: booked, then cancelled
                assert pair == (200, 200), (book.text, cancel.text)
                assert (final, events) == ("cancelled", 1)
            outcomes.add(pair)
    finally:
        booker.close()
        canceller.close()
    numbered = scalar(
        live.db_url, "SELECT count(*) FROM shipments WHERE tracking_number IS NOT NULL"
    )
    issued = scalar(live.db_url, "SELECT coalesce(sum(last_serial), 0) FROM merchant_s10_counters")
    assert issued == numbered  # no number was handed out by a booking that lost


@pytest.fixture
def live_any_rate_age(db_url: str, tmp_path: Path) -> Iterator[Live]:
    """CNY amounts need an ECB rate of recent days; the bundled copy may be older, so the
    test loads a flat one (its value does not matter here: usage is compared with itself)."""
    from datetime import UTC, datetime, timedelta

    from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
    from ewtp.services.customs.admin import load_fx_rates

    today = datetime.now(UTC).date()
    rows = [(today - timedelta(days=n), "CNY", Decimal("8.2500")) for n in range(60)]
    engine = make_engine(db_url)
    try:
        from ewtp.adapters.db.engine import make_session_factory

        load_fx_rates(SqlAlchemyCustomsUnitOfWork(make_session_factory(engine)), rows, "test")
    finally:
        engine.dispose()
    yield from live_server(db_url, tmp_path, EWTP_FX_MAX_AGE_DAYS="3650")


def test_a_china_bound_double_booking_counts_the_buyer_usage_once(
    live_any_rate_age: Live,
) -> None:
    live = live_any_rate_age
    shipment_id = draft(live.alice, TO_CHINA)
    clients = [new_client(live) for _ in range(8)]
    try:
        answers = at_once(
            *(lambda c=c: c.post(f"/v1/shipments/{shipment_id}/book") for c in clients)
        )
    finally:
        for client in clients:
            client.close()
    assert sorted(a.status_code for a in answers) == [200] + [409] * 7
    records = live.alice.get(f"/v1/shipments/{shipment_id}/customs").json()
    duty_paid = Decimal(records["records"]["assessment"]["customs_value"])
    assert duty_paid > 0
    used = scalar(
        live.db_url,
        "SELECT used_cny FROM customs_cbec_usage WHERE buyer_id = :buyer",
        buyer="li.wei@example.cn",
    )
    assert Decimal(str(used)).quantize(Decimal("0.01")) == duty_paid  # once, not 2x or 8x

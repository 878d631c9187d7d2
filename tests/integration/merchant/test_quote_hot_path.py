"""The quote hot path on SQLite and PostgreSQL: the cached engines answer exactly what
the uncached ones do, and the group-commit writer stores every quote it acknowledges."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import cast

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.adapters.merchant.customs import LandedCostCustoms
from ewtp.adapters.merchant.engines import RouteEnginePlanner, build_engines
from ewtp.adapters.ttl_cache import NeedsIO, no_io
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.quotes import Quote, Taxes
from ewtp.domain.merchant.shipments import Address, Battery, Incoterm, Item, ShipmentRequest
from ewtp.services.merchant.quotes import QuoteCommand, build_quote
from unit.merchant.strategies import make_request

from .helpers import NOW, factory, merchant, merchant_api, seed_network


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    with factory(db_url) as made:
        yield made


def _variants() -> list[ShipmentRequest]:
    base = make_request()
    usd = Item("Phone case", "392690", 3, Decimal("8.99"), "USD", "CN")
    to = {
        "DE": Address("Jan", ("Hauptstr. 1",), "Berlin", "10115", "DE"),
        "CN": Address("Li", ("1 Nanjing Rd",), "Shanghai", "200000", "CN", email="li@example.cn"),
    }
    formula = Item("Infant formula", "19011010", 2, Decimal("25.00"), "EUR", "DE")
    parcel = dataclasses.replace(base.parcels[0], items=(usd,))
    to_china = dataclasses.replace(base.parcels[0], items=(formula,))
    return [
        base,
        make_request(Incoterm.DAP, weight="3.5"),
        dataclasses.replace(base, recipient=to["DE"], parcels=(parcel,)),
        dataclasses.replace(base, recipient=to["DE"], seller_ioss="IM2760000001"),
        dataclasses.replace(base, sender=to["DE"], recipient=to["CN"], parcels=(to_china,)),
    ]


def test_cached_customs_answers_exactly_what_the_uncached_engine_does(
    sessions: sessionmaker[Session],
) -> None:
    cached, uncached = LandedCostCustoms(sessions), LandedCostCustoms(sessions, cache_seconds=0)
    on = NOW.date()
    for request in _variants():
        for transport, currency in ((Decimal("11.40"), "EUR"), (Decimal("93.10"), "CNY")):
            truth = uncached.assess(request, transport, currency, on, record_usage=False)
            for _ in range(2):  # the second call is answered from the caches
                got = cached.assess(request, transport, currency, on, record_usage=False)
                assert got == truth


def _taxes_or_error(assess: Callable[[], Taxes]) -> Taxes | tuple[str, str | None]:
    try:
        return assess()
    except InvalidInput as exc:
        return exc.message, exc.field


def test_one_quotes_shared_customs_answers_each_option_what_assess_alone_does(
    sessions: sessionmaker[Session],
) -> None:
    customs, on = LandedCostCustoms(sessions), NOW.date()
    base = make_request()
    alone = Item("Power bank", "850760", 1, Decimal("20"), "EUR", "CN", Battery("UN3480"))
    refused = dataclasses.replace(
        base, parcels=(dataclasses.replace(base.parcels[0], items=(alone,)),)
    )
    prices = [(Decimal("11.40"), "EUR"), (Decimal("93.10"), "CNY"), (Decimal("0"), "EUR"),
              (Decimal("11.40"), "EUR"), (Decimal("250.00"), "EUR")]  # fmt: skip
    for request in [*_variants(), refused]:
        shared = customs.quote_taxes(request, on)
        for transport, currency in prices:
            truth = _taxes_or_error(
                partial(customs.assess, request, transport, currency, on, record_usage=False)
            )
            assert _taxes_or_error(partial(shared, transport, currency)) == truth
    assert isinstance(truth, tuple)  # the refused goods were refused alike
    assert "cannot be shipped" in truth[0]


def test_a_cbec_buyers_usage_is_never_answered_from_a_cache(
    sessions: sessionmaker[Session],
) -> None:
    customs = LandedCostCustoms(sessions)
    to_china = _variants()[-1]
    customs.assess(to_china, Decimal("10"), "EUR", NOW.date(), record_usage=False)
    with no_io(), pytest.raises(NeedsIO):
        customs.assess(to_china, Decimal("10"), "EUR", NOW.date(), record_usage=False)


def test_customs_from_warm_caches_opens_no_database_session_but_cbec_usage_does(
    sessions: sessionmaker[Session],
) -> None:
    opened: list[Session] = []

    def counting() -> Session:
        opened.append(sessions())
        return opened[-1]

    customs = LandedCostCustoms(cast("sessionmaker[Session]", counting))
    on = NOW.date()
    *cached_only, to_china = _variants()
    for request in cached_only:
        customs.assess(request, Decimal("11.40"), "CNY", on, record_usage=False)  # warms up
    before = len(opened)
    for request in cached_only:
        customs.assess(request, Decimal("11.40"), "CNY", on, record_usage=False)
    assert len(opened) == before
    customs.assess(to_china, Decimal("10"), "EUR", on, record_usage=False)
    customs.assess(to_china, Decimal("10"), "EUR", on, record_usage=False)
    assert len(opened) == before + 2  # a buyer's usage is read every time


def test_a_quote_built_inline_from_the_caches_equals_one_built_with_io(
    sessions: sessionmaker[Session],
) -> None:
    seed_network(sessions)
    engines = build_engines(sessions)
    fresh = build_engines(sessions)
    acct = merchant(sessions)
    with no_io(), pytest.raises(NeedsIO):  # nothing cached yet: it would need I/O
        build_quote(
            engines.planner, engines.customs, engines.card, QuoteCommand(acct, _variants()[0], NOW)
        )
    for request in _variants()[:-1]:
        command = QuoteCommand(acct, request, NOW)
        build_quote(engines.planner, engines.customs, engines.card, command)  # warms up
        with no_io():
            inline = build_quote(engines.planner, engines.customs, engines.card, command)
        truth = build_quote(fresh.planner, fresh.customs, fresh.card, command)
        assert _without_ids(inline) == _without_ids(truth)


def test_the_planner_needs_io_for_a_new_minute_and_plans_the_next_one_ahead(
    sessions: sessionmaker[Session],
) -> None:
    seed_network(sessions)
    planner = RouteEnginePlanner(sessions)
    planner.plan("HGH", "FR", NOW - timedelta(seconds=50))  # minute NOW, 50 s before it
    with no_io(), pytest.raises(NeedsIO):
        planner.plan("HGH", "FR", NOW + timedelta(seconds=30))  # next minute: not yet
    planner.plan("HGH", "FR", NOW - timedelta(seconds=10))  # 10 s before: plans NOW+1 min
    with no_io():
        assert planner.plan("HGH", "FR", NOW)
        assert planner.plan("HGH", "FR", NOW + timedelta(seconds=30))
        with pytest.raises(NeedsIO):
            planner.plan("HGH", "FR", NOW + timedelta(minutes=2))


def _without_ids(quote: Quote) -> tuple[object, ...]:
    options = tuple(dataclasses.replace(o, id="") for o in quote.options)
    return (quote.origin_hub, quote.ready_at, quote.expires_at, options)


def _copy(quote: Quote, account_id: str | None = None) -> Quote:
    return dataclasses.replace(
        quote,
        id=str(uuid.uuid4()),
        account_id=account_id or quote.account_id,
        options=tuple(dataclasses.replace(o, id=str(uuid.uuid4())) for o in quote.options),
    )


def _priced_quote(sessions: sessionmaker[Session]) -> tuple[str, Quote]:
    """A merchant on the built-in network and one quote built for it (not yet stored)."""
    seed_network(sessions)
    engines = build_engines(sessions)
    acct = merchant(sessions)
    quote = build_quote(
        engines.planner, engines.customs, engines.card, QuoteCommand(acct, make_request(), NOW)
    )
    return acct, quote


def test_the_writer_commits_every_acknowledged_quote_and_fails_only_a_bad_one(
    sessions: sessionmaker[Session],
) -> None:
    acct, model = _priced_quote(sessions)
    writer = QuoteWriter(lambda: SqlAlchemyMerchantUnitOfWork(sessions))
    writer.start()
    quotes = [_copy(model) for _ in range(40)]
    bad = _copy(model, account_id="no-such-account")  # the foreign key refuses it
    futures = []
    lock = threading.Lock()

    def submit(chunk: list[Quote]) -> None:
        for q in chunk:
            with lock:
                futures.append((q, writer.submit(q)))

    threads = [threading.Thread(target=submit, args=(quotes[i::4],)) for i in range(4)]
    threads.append(threading.Thread(target=submit, args=([bad],)))
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        for q, done in futures:
            if q is bad:
                with pytest.raises(IntegrityError):
                    done.result(30)
            else:
                assert done.result(30) is None
    finally:
        writer.stop()
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    for q in quotes:
        with uow:
            assert uow.quotes.get(acct, q.id) == q
    with uow:
        assert uow.quotes.get("no-such-account", bad.id) is None


def test_stopping_the_writer_stores_every_quote_submitted_before_and_refuses_later_ones(
    sessions: sessionmaker[Session],
) -> None:
    acct, model = _priced_quote(sessions)
    writer = QuoteWriter(lambda: SqlAlchemyMerchantUnitOfWork(sessions), max_batch=8)
    with pytest.raises(RuntimeError, match="not running"):
        writer.submit(model)  # before start: no thread would ever store it
    writer.start()
    quotes = [_copy(model) for _ in range(30)]
    futures = [writer.submit(q) for q in quotes]
    writer.stop()
    assert [f.done() and f.result() for f in futures] == [None] * len(quotes)
    assert not [t for t in threading.enumerate() if t.name == "ewtp-quote-writer"]
    with pytest.raises(RuntimeError, match="not running"):
        writer.submit(_copy(model))
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    with uow:
        assert [uow.quotes.get(acct, q.id) for q in quotes] == quotes


def test_one_batch_stores_thousands_of_rows_each_read_back_equal(
    sessions: sessionmaker[Session],
) -> None:
    acct, model = _priced_quote(sessions)
    # More rows than one statement could bind on SQLite (32,766 parameters / 7 columns).
    quotes = [_copy(model) for _ in range(5000)]
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    with uow:
        uow.quotes.add_all(quotes)
        uow.commit()
    with uow:
        for q in quotes[::250] + quotes[-1:]:
            assert uow.quotes.get(acct, q.id) == q
            for option in q.options:
                assert uow.quotes.get_by_option(acct, option.id) == q


@pytest.mark.parametrize("cache_seconds", [0.0, 60.0])
def test_a_revoked_key_stops_working_within_the_auth_cache_time(
    db_url: str, sessions: sessionmaker[Session], cache_seconds: float
) -> None:
    from fastapi.testclient import TestClient

    from ewtp.api.app import create_app
    from ewtp.config import Settings
    from ewtp.domain.accounts import Role
    from ewtp.services.accounts import create_account, revoke_key

    issued = create_account(SqlAlchemyMerchantUnitOfWork(sessions), "Acme", Role.MERCHANT, NOW)
    auth = {"Authorization": f"Bearer {issued.plain}"}
    settings = Settings(database_url=db_url, auth_cache_seconds=cache_seconds)
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/quotes/nope", headers=auth).status_code == 404
        wrong = {"Authorization": f"Bearer {issued.plain}x"}
        assert client.get("/v1/quotes/nope", headers=wrong).status_code == 401
        revoke_key(SqlAlchemyMerchantUnitOfWork(sessions), issued.key.id, NOW)
        after = client.get("/v1/quotes/nope", headers=auth).status_code
        assert after == (401 if cache_seconds == 0 else 404)  # trusted until the TTL ends
        client.app.state.principal_cache.clear()  # type: ignore[attr-defined]
        assert client.get("/v1/quotes/nope", headers=auth).status_code == 401


def test_the_fast_path_answer_is_the_stored_quote_as_read_back(
    db_url: str, sessions: sessionmaker[Session]
) -> None:
    from ewtp.api.schemas.examples import QUOTE_REQUEST

    with merchant_api(db_url, sessions) as (client, auth):
        answers = [client.post("/v1/quotes", json=QUOTE_REQUEST, headers=auth) for _ in range(3)]
        for answer in answers:  # the first on a worker thread, the others inline
            assert answer.status_code == 201, answer.text
            assert answer.headers["content-type"] == "application/json"
            stored = client.get(f"/v1/quotes/{answer.json()['id']}", headers=auth)
            assert stored.status_code == 200
            assert stored.json() == answer.json()
        first, *rest = (a.json() for a in answers)
        for other in rest:
            assert [o["price"] for o in other["options"]] == [o["price"] for o in first["options"]]

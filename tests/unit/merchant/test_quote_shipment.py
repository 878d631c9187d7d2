"""`quote_shipment`, the use case POST /v1/quotes runs, on an in-memory quote store:
pricing goes through the runner, and a quote is answered only once it is stored."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypeVar

import pytest

from ewtp.adapters.merchant.pricing_data import load_rate_card
from ewtp.domain.errors import InvalidInput, Unavailable
from ewtp.domain.merchant.quotes import Quote
from ewtp.domain.merchant.shipments import Item, ServiceLevel
from ewtp.services.merchant.ports import AbstractQuoteStore, AbstractRunner
from ewtp.services.merchant.quotes import QuoteCommand, quote_shipment

from .fakes import FakeCustoms, FakePlanner, FakeQuoteStore, InlineRunner
from .strategies import make_request

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
CARD = load_rate_card()
T = TypeVar("T")


def _quote(store: AbstractQuoteStore, runner: AbstractRunner, command: QuoteCommand) -> Quote:
    return asyncio.run(quote_shipment(store, runner, FakePlanner(), FakeCustoms(), CARD, command))


def test_the_quote_answered_is_the_one_stored_with_every_level_priced() -> None:
    store, runner = FakeQuoteStore(), InlineRunner()
    quote = _quote(store, runner, QuoteCommand("acct", make_request(), NOW))
    assert store.added == [quote]
    assert store.uow.quotes.get("acct", quote.id) == quote
    assert store.uow.quotes.get("other", quote.id) is None
    assert runner.calls == 1  # the pricing ran through the runner, once
    # The fake planner offers three Pareto routes: one per service level.
    assert [o.service_level for o in quote.options] == [
        ServiceLevel.EXPRESS,
        ServiceLevel.STANDARD,
        ServiceLevel.ECONOMY,
    ]
    # express to FR (zone EU1), 4.8 kg chargeable: (9.50 + 7.20 x 4.8) x 1.125 = 49.5675
    assert quote.options[0].price.transport == Decimal("49.57")


def test_a_quote_is_not_answered_before_its_store_has_kept_it() -> None:
    class GatedStore(FakeQuoteStore):
        def __init__(self) -> None:
            super().__init__()
            self.gate = asyncio.Event()

        async def add(self, quote: Quote) -> None:
            await self.gate.wait()
            await super().add(quote)

    async def scenario() -> None:
        store = GatedStore()
        command = QuoteCommand("acct", make_request(), NOW)
        task = asyncio.create_task(
            quote_shipment(store, InlineRunner(), FakePlanner(), FakeCustoms(), CARD, command)
        )
        for _ in range(5):
            await asyncio.sleep(0)
        assert not task.done()
        assert store.added == []
        store.gate.set()
        quote = await task
        assert store.added == [quote]

    asyncio.run(scenario())


def test_refused_goods_are_never_handed_to_the_store() -> None:
    store = FakeQuoteStore()
    base = make_request()
    rifle = Item("Rifle", "930100", 1, Decimal(500), "EUR", "CN")
    bad = replace(base, parcels=(replace(base.parcels[0], items=(rifle,)),))
    with pytest.raises(InvalidInput):
        _quote(store, InlineRunner(), QuoteCommand("acct", bad, NOW))
    assert store.added == []


def test_a_runner_that_refuses_the_work_stores_nothing_and_says_why() -> None:
    class Refusing(AbstractRunner):
        async def run(self, work: Callable[[], T]) -> T:  # noqa: ARG002
            raise Unavailable("no worker thread was free", retry_after=2)

    store = FakeQuoteStore()
    with pytest.raises(Unavailable):
        _quote(store, Refusing(), QuoteCommand("acct", make_request(), NOW))
    assert store.added == []


def test_a_store_that_fails_fails_the_quote() -> None:
    class Broken(FakeQuoteStore):
        async def add(self, quote: Quote) -> None:  # noqa: ARG002
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        _quote(Broken(), InlineRunner(), QuoteCommand("acct", make_request(), NOW))

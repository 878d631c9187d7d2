"""Merchant quotes carry the customs conditions: net content for China's cosmetics tax,
and the customs exchange-rate errors keep their codes."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.merchant.customs import LandedCostCustoms
from ewtp.domain.customs.cbec import NetQuantityRequired
from ewtp.domain.customs.fx_rules import StaleRate
from ewtp.domain.merchant.shipments import Address, Item
from integration.merchant.helpers import factory
from unit.merchant.strategies import make_request


@pytest.fixture
def sessions(db_url: str) -> Iterator[sessionmaker[Session]]:
    with factory(db_url) as made:
        yield made


def _to_china(item: Item):  # type: ignore[no-untyped-def]
    base = make_request()
    sender = Address("Jan", ("Hauptstr. 1",), "Berlin", "10115", "DE")
    recipient = Address("Li", ("1 Nanjing Rd",), "Shanghai", "200000", "CN", email="li@x.cn")
    parcel = dataclasses.replace(base.parcels[0], items=(item,))
    return dataclasses.replace(base, sender=sender, recipient=recipient, parcels=(parcel,))


def test_a_quote_of_cosmetics_into_china_needs_the_net_content(
    sessions: sessionmaker[Session],
) -> None:
    customs = LandedCostCustoms(sessions, cache_seconds=0)
    on = date(2026, 11, 22)
    cream = Item("Face cream", "33049900", 1, Decimal("100"), "CNY", "FR")
    with pytest.raises(NetQuantityRequired) as caught:
        customs.assess(_to_china(cream), Decimal("0"), "CNY", on, record_usage=False)
    assert caught.value.field == "parcels[0].items[0].net_quantity"  # the full merchant path
    # 100 CNY for 50 ml = CNY 2 per ml, below CNY 10: VAT 13% x 70% only.
    cheap = dataclasses.replace(cream, net_quantity=Decimal("50"), net_unit="ml")
    taxes = customs.assess(_to_china(cheap), Decimal("0"), "CNY", on, record_usage=False)
    assert (taxes.consumption_tax, taxes.vat) == (Decimal("0.00"), Decimal("9.10"))
    # 100 CNY for 5 ml = CNY 20 per ml: 15% consumption tax at 70%, 100/0.85 x 10.5%.
    dear = dataclasses.replace(cream, net_quantity=Decimal("5"), net_unit="ml")
    taxes = customs.assess(_to_china(dear), Decimal("0"), "CNY", on, record_usage=False)
    assert taxes.consumption_tax == Decimal("12.35")  # 100 / 0.85 x 15% x 70% = 12.353


def test_a_stale_rate_keeps_its_code_through_the_merchant_engine(
    sessions: sessionmaker[Session],
) -> None:
    customs = LandedCostCustoms(sessions, cache_seconds=0)
    shirt = Item("T-shirt", "61091000", 1, Decimal("10"), "USD", "FR")
    with pytest.raises(StaleRate):
        # 2027-01-10 needs the rate of 2026-12-16; the bundled rates end 2026-10-30.
        customs.assess(_to_china(shirt), Decimal("0"), "USD", date(2027, 1, 10), record_usage=False)

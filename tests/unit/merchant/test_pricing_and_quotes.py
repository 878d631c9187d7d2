"""Rate card, chargeable weight, service levels and quote prices, against hand-worked sums."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings

from ewtp.adapters.merchant.pricing_data import load_rate_card
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.quotes import assign_levels
from ewtp.domain.merchant.shipments import (
    Incoterm,
    Item,
    Parcel,
    ServiceLevel,
    ShipmentRequest,
    chargeable_weight,
)
from ewtp.services.merchant.quotes import QuoteCommand

from .fakes import FakeCustoms, FakeMerchantUnitOfWork, FakePlanner, quote_on_fakes, route
from .strategies import make_request, requests

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
ON = date(2026, 11, 22)
CARD = load_rate_card()


def test_volumetric_weight_wins_for_a_light_bulky_parcel() -> None:
    # 40 x 30 x 20 cm = 24,000 cm3 / 5000 = 4.8 kg > 1.0 kg actual
    request = make_request()
    assert chargeable_weight(request.parcels, Decimal(5000)) == Decimal("4.800")


def test_actual_weight_wins_for_a_dense_parcel() -> None:
    assert chargeable_weight(make_request(weight="7.25").parcels, Decimal(5000)) == Decimal("7.250")


def test_standard_price_to_france_by_hand() -> None:
    # FR is zone EU1: standard base 6.20 + 4.90/kg x 4.8 kg = 29.72; fuel 12.5% -> 33.435
    price = CARD.transport_price(ServiceLevel.STANDARD, "FR", Decimal("4.8"), (), ON)
    assert (price.zone, price.currency, price.amount) == ("EU1", "EUR", Decimal("33.44"))


def test_battery_surcharge_is_added_before_fuel() -> None:
    # (6.20 + 4.90 x 2 + 2.50) x 1.125 = 18.50 x 1.125 = 20.8125 -> 20.81
    price = CARD.transport_price(ServiceLevel.STANDARD, "FR", Decimal(2), ("battery",), ON)
    assert price.amount == Decimal("20.81")


def test_a_country_without_a_zone_is_refused_naming_the_recipient_country() -> None:
    with pytest.raises(InvalidInput) as err:
        CARD.transport_price(ServiceLevel.STANDARD, "US", Decimal(1), (), ON)
    assert err.value.field == "recipient.country"


def test_rates_before_the_card_took_effect_are_refused() -> None:
    with pytest.raises(InvalidInput):
        CARD.transport_price(ServiceLevel.STANDARD, "FR", Decimal(1), (), date(2025, 12, 31))


def test_three_pareto_options_map_to_three_levels() -> None:
    options = tuple(route(NOW, h, c, ("HGH", "LGG")) for h, c in ((30, "3"), (50, "2"), (90, "1")))
    levels = assign_levels(options)
    assert [(lvl, o.cost_per_kg) for lvl, o in levels] == [
        (ServiceLevel.EXPRESS, Decimal(3)),
        (ServiceLevel.STANDARD, Decimal(2)),
        (ServiceLevel.ECONOMY, Decimal(1)),
    ]


def test_two_options_give_express_and_economy_and_one_gives_standard() -> None:
    two = tuple(route(NOW, h, c, ("HGH", "LGG")) for h, c in ((30, "3"), (90, "1")))
    assert [lvl for lvl, _ in assign_levels(two)] == [ServiceLevel.EXPRESS, ServiceLevel.ECONOMY]
    assert [lvl for lvl, _ in assign_levels(two[:1])] == [ServiceLevel.STANDARD]
    assert assign_levels(()) == []


def test_ddp_quote_adds_the_customs_taxes_and_dap_shows_transport_only() -> None:
    uow, customs = FakeMerchantUnitOfWork(), FakeCustoms()
    ddp = quote_on_fakes(
        uow, FakePlanner(), customs, CARD, QuoteCommand("acct", make_request(), NOW)
    )
    express = ddp.options[0]
    # express EU1: (9.50 + 7.20 x 4.8) x 1.125 = 44.06 x 1.125 = 49.5675 -> 49.57
    assert express.price.transport == Decimal("49.57")
    # fake customs: duty 3.00, VAT 20% x (25.00 goods + 49.57 + 3.00) = 15.514 -> 15.51
    assert (express.price.duty, express.price.vat) == (Decimal("3.00"), Decimal("15.51"))
    assert express.price.total == Decimal("68.08")
    assert express.co2_kg == Decimal("12.00")  # 2.5 kg/kg x 4.8 kg
    assert all(not usage for _, usage in customs.calls)  # a quote records no CBEC usage
    dap = quote_on_fakes(
        uow,
        FakePlanner(),
        FakeCustoms(),
        CARD,
        QuoteCommand("acct", make_request(Incoterm.DAP), NOW),
    )
    assert dap.options[0].price.total == dap.options[0].price.transport == Decimal("49.57")
    assert dap.options[0].price.vat == Decimal("0.00")
    assert [o.promise_met for o in ddp.options] == [True, True, False]
    assert ddp.expires_at == datetime(2026, 11, 22, 8, 30, tzinfo=UTC)


def test_refused_goods_make_the_quote_fail_and_store_nothing() -> None:
    uow = FakeMerchantUnitOfWork()
    bad = make_request()
    item = Item("Rifle", "930100", 1, Decimal(500), "EUR", "CN")
    bad = ShipmentRequest(
        bad.sender,
        bad.recipient,
        (Parcel(Decimal(1), Decimal(10), Decimal(10), Decimal(10), (item,)),),
        Incoterm.DDP,
    )
    with pytest.raises(InvalidInput):
        quote_on_fakes(uow, FakePlanner(), FakeCustoms(), CARD, QuoteCommand("a", bad, NOW))
    assert uow.quotes.rows == {}


@settings(max_examples=40, deadline=None)
@given(requests())
def test_every_quote_total_is_the_sum_of_its_parts_and_express_is_dearest(
    request: ShipmentRequest,
) -> None:
    quote = quote_on_fakes(
        FakeMerchantUnitOfWork(),
        FakePlanner(),
        FakeCustoms(),
        CARD,
        QuoteCommand("a", request, NOW),
    )
    for option in quote.options:
        p = option.price
        assert p.total == p.transport + p.duty + p.vat + p.consumption_tax + p.fees
        assert option.chargeable_kg >= request.actual_weight_kg
    transports = [o.price.transport for o in quote.options]
    assert transports == sorted(transports, reverse=True)

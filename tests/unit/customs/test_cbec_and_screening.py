"""China CBEC rules and lithium-battery screening against published figures.

CBEC sources: Cai Guan Shui [2016] No. 18 and [2018] No. 49; Ningbo Customs Q&A,
People's Daily Overseas Edition 2025-11-18 (composite rate = (VAT + CT)/(1 - CT) x 70%,
i.e. 9.1% for ordinary goods at 13% VAT and 23.06% for high-end cosmetics with 15% CT).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ewtp.domain.customs import Assessment, parse_consignment
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import FakeCustomsUnitOfWork, consignment_json, item


def cn(*items: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    data = consignment_json(
        date="2026-11-20", origin_country="FR", destination_country="CN", currency="CNY",
        transport_cost="0", items=list(items),
    )  # fmt: skip
    data.update(overrides)
    return data


def run(data: dict[str, Any], uow: FakeCustomsUnitOfWork | None = None, **kw: Any) -> Assessment:
    return assess_landed_cost(uow or FakeCustomsUnitOfWork(), parse_consignment(data), **kw)


def shirt(value: str, quantity: int = 1) -> dict[str, Any]:
    return item(hs_code="61091000", quantity=quantity, unit_value=value, origin_country="FR")


def test_within_limits_ordinary_goods_pay_the_9_1_percent_composite_rate() -> None:
    a = run(cn(shirt("1000")))
    assert (a.currency, a.scheme, a.allowed) == ("CNY", "cbec", True)
    assert (a.duty, a.vat, a.consumption_tax) == (
        Decimal("0.00"),
        Decimal("91.00"),
        Decimal("0.00"),
    )


def test_within_limits_high_end_cosmetics_pay_vat_and_consumption_tax_at_70_percent() -> None:
    cream = item(
        description="Face cream 50ml",
        hs_code="33049900",
        quantity=1,
        unit_value="1000",
        origin_country="FR",
        net_quantity="50",
        net_unit="ml",
    )  # CNY 20 per ml: above the CNY 10 per ml threshold
    a = run(cn(cream))
    assert a.vat == Decimal("107.06")  # 1000 / 0.85 x 13% x 70% = 107.0588
    assert a.consumption_tax == Decimal("123.53")  # 1000 / 0.85 x 15% x 70% = 123.5294
    assert a.total_taxes == Decimal("230.59")  # the 23.06% composite rate


def test_without_a_cn_table_euro_prices_take_the_ecb_cross_rate_of_the_gacc_day() -> None:
    # GACC: the rate of the third Wednesday of the previous month, 2026-09-16; the ECB
    # fixed CNY 7.738 per EUR that day. 100 EUR -> 773.80 CNY; VAT 13% x 70% -> 70.42.
    a = run(cn(shirt("100"), currency="EUR", date="2026-10-30"))
    assert a.intrinsic_value == Decimal("773.80")
    assert a.vat == Decimal("70.42")  # 773.80 x 13% x 70% = 70.4158
    assert (a.exchange_rate_rule, a.exchange_rate_date.isoformat()) == (  # type: ignore[union-attr]
        "cn_ecb_cross_rate",
        "2026-09-16",
    )
    assert "fx_cross_rate" in [w.code for w in a.warnings]


def test_a_single_item_over_5000_pays_full_rates() -> None:
    watch = item(
        description="Wrist watch",
        hs_code="91021100",
        quantity=1,
        unit_value="6000",
        origin_country="CH",
    )
    a = run(cn(watch))
    assert a.allowed
    assert a.scheme == "cbec"
    assert a.duty == Decimal("480.00")  # 8% (positive-list sample row)
    assert a.vat == Decimal("842.40")  # 13% x (6000 + 480), no 70% reduction
    assert "cbec_full_rates" in [w.code for w in a.warnings]


def test_several_items_over_5000_are_refused_as_general_trade() -> None:
    a = run(cn(shirt("3000", quantity=2)))
    assert (a.allowed, a.scheme, a.declaration_type) == (False, "general_trade", "0110")
    assert [e.code for e in a.errors] == ["cbec_transaction_limit"]


def test_an_order_past_the_annual_limit_is_refused() -> None:
    a = run(cn(shirt("1000"), buyer_annual_used="25500"))
    assert not a.allowed
    assert [e.code for e in a.errors] == ["cbec_annual_limit"]


def test_booking_records_usage_and_the_limit_then_bites() -> None:
    uow = FakeCustomsUnitOfWork()
    first = run(cn(shirt("4000", quantity=1), buyer_id="buyer-1"), uow, record_cbec_usage=True)
    assert first.allowed
    assert uow.cbec_usage.usage[("buyer-1", 2026)] == Decimal("4000.00")
    quote = run(cn(shirt("100"), buyer_id="buyer-1"), uow)  # a quote records nothing
    assert quote.allowed
    assert uow.cbec_usage.usage[("buyer-1", 2026)] == Decimal("4000.00")
    for _ in range(5):
        run(cn(shirt("4000"), buyer_id="buyer-1"), uow, record_cbec_usage=True)
    assert uow.cbec_usage.usage[("buyer-1", 2026)] == Decimal("24000.00")
    refused = run(cn(shirt("4000"), buyer_id="buyer-1"), uow, record_cbec_usage=True)
    assert not refused.allowed
    assert uow.cbec_usage.usage[("buyer-1", 2026)] == Decimal("24000.00")


def test_goods_off_the_positive_list_are_refused() -> None:
    a = run(cn(item(hs_code="87120000", unit_value="500", origin_country="FR")))
    assert [e.code for e in a.errors] == ["cbec_not_on_positive_list"]
    assert a.errors[0].field == "items[0].hs_code"


def test_recording_usage_needs_a_buyer() -> None:
    with pytest.raises(InvalidInput) as caught:
        run(cn(shirt("100")), record_cbec_usage=True)
    assert caught.value.field == "buyer_id"


@pytest.mark.parametrize(
    ("battery", "code", "allowed"),
    [
        # IATA DGR: PI965/968 batteries alone are not accepted in e-commerce parcels.
        ({"un_number": "UN3480", "watt_hours": "10"}, "battery_refused", False),
        ({"un_number": "UN3090", "lithium_grams": "0.5"}, "battery_refused", False),
        # PI967 Section II: <= 100 Wh per battery.
        ({"un_number": "UN3481", "watt_hours": "100"}, "battery_section_ii", True),
        ({"un_number": "UN3481", "watt_hours": "100.1"}, "battery_over_limit", False),
        ({"un_number": "UN3481"}, "battery_over_limit", False),
        # PI970 Section II: <= 1 g lithium metal per cell.
        ({"un_number": "UN3091", "lithium_grams": "1"}, "battery_section_ii", True),
        ({"un_number": "UN3091", "lithium_grams": "2"}, "battery_over_limit", False),
    ],
)
def test_lithium_batteries_follow_the_section_ii_limits(
    battery: dict[str, Any], code: str, allowed: bool
) -> None:
    phone = item(
        description="Smartphone", hs_code="851713", quantity=1, unit_value="80", battery=battery
    )
    a = run(consignment_json(items=[item(), phone]))
    problems = a.warnings if allowed else a.errors
    assert [p.code for p in problems] == [code]
    assert problems[0].item == 1
    assert a.allowed is allowed

"""EU import rules against published worked examples, each with its source.

Expected figures are computed by hand in each test from the rule's text, not by the code.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ewtp.domain.customs import Assessment, parse_consignment
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import FakeCustomsUnitOfWork, consignment_json, item

IOSS_BE = "IM0560000001"


def run(data: dict[str, Any]) -> Assessment:
    return assess_landed_cost(FakeCustomsUnitOfWork(), parse_consignment(data))


def test_ioss_before_july_2026_has_duty_relief_and_vat_at_the_destination_rate() -> None:
    # Commission Explanatory Notes on the VAT e-commerce rules (2020), IOSS section: VAT at
    # the member state of destination's rate on the price including transport; duty
    # relief for <= EUR 150 under Reg. 1186/2009 Art. 23 until 2026-06-30.
    a = run(consignment_json(seller_ioss=IOSS_BE))
    assert (a.scheme, a.declaration_type, a.allowed) == ("ioss", "H7", True)
    assert a.duty == Decimal("0.00")
    assert a.vat == Decimal("4.75")  # 19% x (20.00 + 5.00)
    assert a.landed_cost == Decimal("29.75")


def test_ioss_after_july_2026_pays_three_euros_per_subheading_and_vat_on_it() -> None:
    # Council Reg. (EU) 2026/382: EUR 3 per distinct HS6 in a consignment <= EUR 150, also
    # under IOSS; VAT base includes the duty (Directive 2006/112/EC Art. 86).
    a = run(consignment_json(date="2026-08-01", seller_ioss=IOSS_BE))
    assert a.scheme == "ioss"
    assert a.duty == Decimal("3.00")
    assert a.vat == Decimal("5.32")  # 19% x (25.00 + 3.00)


@pytest.mark.parametrize(
    ("items", "duty"),
    [
        # Baker McKenzie Global Import blog, 2026-07-02; Commission guidance 2026-06-02.
        ([item(quantity=5)], "3.00"),  # 5 identical T-shirts
        (
            [item(quantity=1), item(description="Wrist watch", hs_code="910211", unit_value="30")],
            "6.00",
        ),
        (
            [
                item(description="Smartphone", hs_code="851713", quantity=1, unit_value="80"),
                item(description="Phone charger", hs_code="850440", quantity=1, unit_value="8"),
                item(description="Headphones", hs_code="851830", quantity=1, unit_value="12"),
            ],
            "9.00",
        ),
    ],
    ids=["five-t-shirts", "t-shirt-and-watch", "phone-charger-headphones"],
)
def test_flat_duty_counts_distinct_subheadings_not_units(items: list[Any], duty: str) -> None:
    a = run(consignment_json(date="2026-07-15", items=items))
    assert a.duty == Decimal(duty)
    assert sum(line.duty for line in a.lines) == a.duty


def test_vat_is_charged_on_the_duty_as_in_the_commission_example() -> None:
    # Commission guidance on the 2026 duty: EUR 6 duty -> EUR 1.20 VAT at 20%.
    items = [
        item(quantity=1, unit_value="20"),
        item(description="Wrist watch", hs_code="910211", quantity=1, unit_value="30"),
    ]
    before = run(
        consignment_json(
            date="2026-06-30", destination_country="AT", items=items, transport_cost="0"
        )
    )
    after = run(
        consignment_json(
            date="2026-07-01", destination_country="AT", items=items, transport_cost="0"
        )
    )
    assert (before.duty, after.duty) == (Decimal("0.00"), Decimal("6.00"))
    assert after.vat - before.vat == Decimal("1.20")


def test_special_arrangements_when_imported_in_the_destination_state() -> None:
    # Directive 2006/112/EC Art. 369y-369zb: the person presenting the goods collects the
    # import VAT; only when the member state of import is the member state of destination.
    a = run(
        consignment_json(
            destination_country="BE", import_country="BE", scheme="special_arrangements"
        )
    )
    assert (a.scheme, a.declaration_type) == ("special_arrangements", "H7")
    assert a.vat == Decimal("5.25")  # 21% x 25.00


def test_special_arrangements_refused_when_imported_elsewhere() -> None:
    data = consignment_json(
        destination_country="FR", import_country="BE", scheme="special_arrangements"
    )
    with pytest.raises(InvalidInput) as caught:
        run(data)
    assert caught.value.field == "import_country"


def test_above_150_pays_the_mfn_rate_on_the_customs_value_and_needs_h1() -> None:
    # CCT 6109 10 00: 12%. Customs value = intrinsic + all transport (UCC Art. 70-71).
    a = run(consignment_json(items=[item(quantity=20)], transport_cost="20.00"))
    assert a.customs_value == Decimal("220.00")
    assert a.duty == Decimal("26.40")  # 12% x 220.00
    assert a.vat == Decimal("46.82")  # 19% x 246.40 = 46.816
    assert (a.scheme, a.declaration_type) == ("standard", "H1")
    assert "above EUR 150" in a.declaration_reasons[0]


def test_above_150_with_an_unknown_subheading_is_an_error_not_zero() -> None:
    data = consignment_json(items=[item(hs_code="852411", quantity=20)])
    with pytest.raises(InvalidInput) as caught:
        run(data)
    assert caught.value.field == "items[0].hs_code"


def test_ioss_cannot_cover_a_consignment_above_150() -> None:
    with pytest.raises(InvalidInput) as caught:
        run(consignment_json(items=[item(quantity=20)], seller_ioss=IOSS_BE, scheme="ioss"))
    assert caught.value.field == "scheme"


def test_the_150_test_uses_the_ecb_rate_of_the_penultimate_wednesday_of_the_month_before() -> None:
    # Impl. Reg. 2015/2447 Art. 146: a consignment of 2026-11-01 (or of any November day)
    # takes the rate published on the penultimate Wednesday of October, 2026-10-21:
    # USD 1.1234 per EUR (ECB eurofxref). 168.51 USD / 1.1234 = 150 EUR exactly.
    def at(day: str, value: str) -> Assessment:
        return run(
            consignment_json(
                date=day, currency="USD", items=[item(quantity=1, unit_value=value)],
                transport_cost="0",
            )
        )  # fmt: skip

    for day in ("2026-11-01", "2026-11-30"):
        a = at(day, "168.51")
        assert (a.exchange_rate_rule, str(a.exchange_rate_date)) == ("eu_art146_ecb", "2026-10-21")
        assert a.intrinsic_value_eur == Decimal("150.00")
        assert a.declaration_type == "H7"
    above = at("2026-11-15", "168.52")  # 150.0089 EUR -> 150.01
    assert above.intrinsic_value_eur == Decimal("150.01")
    assert above.declaration_type == "H1"


def test_excise_goods_need_h1_and_are_refused_under_ioss() -> None:
    # Directive 2006/112/EC Art. 369l: excise goods are excluded from IOSS.
    whisky = item(description="Scotch whisky 70cl", hs_code="220830", quantity=1, unit_value="40")
    a = run(consignment_json(items=[whisky], seller_ioss=IOSS_BE))
    assert (a.scheme, a.declaration_type) == ("standard", "H1")
    assert [w.code for w in a.warnings] == ["excise_goods"]
    assert a.warnings[0].item == 0
    with pytest.raises(InvalidInput):
        run(consignment_json(items=[whisky], seller_ioss=IOSS_BE, scheme="ioss"))


def test_tobacco_pays_duty_even_under_the_lvc_relief() -> None:
    # Reg. 1186/2009 Art. 24: the Art. 23 relief does not apply to tobacco; CCT 2402 20: 57.6%.
    cigarettes = item(description="Cigarettes", hs_code="240220", quantity=1, unit_value="20")
    a = run(consignment_json(items=[cigarettes], transport_cost="5.00"))
    assert a.duty == Decimal("14.40")  # 57.6% x 25.00


def test_national_fee_enters_the_vat_base() -> None:
    # France: EUR 2 per item line from 2026-03-01 (operator row, unconfirmed), VAT 20%.
    a = run(consignment_json(destination_country="FR"))
    assert a.fees == Decimal("2.00")
    assert a.vat == Decimal("5.40")  # 20% x (25.00 + 2.00)
    assert a.total_taxes == Decimal("7.40")


def test_restricted_goods_are_flagged_and_need_h1() -> None:
    a = run(
        consignment_json(
            items=[item(description="Carved ivory figurine", hs_code="970390", quantity=1)]
        )
    )
    assert [w.code for w in a.warnings] == ["restricted_cites"]
    assert a.declaration_type == "H1"
    assert a.allowed


def test_line_shares_sum_to_the_totals() -> None:
    items = [
        item(quantity=3, unit_value="33.33"),
        item(hs_code="620342", quantity=7, unit_value="11.11"),
    ]
    a = run(consignment_json(items=items, transport_cost="7.77", insurance_cost="1.01"))
    assert sum(x.duty for x in a.lines) == a.duty
    assert sum(x.vat for x in a.lines) == a.vat


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"origin_country": "ZZ"}, "origin_country"),
        ({"destination_country": "US"}, "destination_country"),
        ({"items": [item(unit_value="-1")]}, "items[0].unit_value"),
        ({"items": [item(quantity=None)]}, "items[0].quantity"),
        ({"items": [item(quantity=0)]}, "items[0].quantity"),
        ({"transport_cost": None}, "transport_cost"),
        ({"seller_ioss": "IM9990000001", "scheme": "ioss"}, "seller_ioss"),
        ({"date": "2020-01-15"}, "date"),
        ({"date": "2026-13-01"}, "date"),
        ({"items": [item(hs_code="61091")]}, "items[0].hs_code"),
        ({"items": []}, "items"),
        ({"items": [item(battery={"un_number": "UN1234"})]}, "items[0].battery.un_number"),
    ],
)
def test_bad_input_names_the_field(change: dict[str, Any], field: str) -> None:
    uow = FakeCustomsUnitOfWork()
    with pytest.raises(InvalidInput) as caught:
        assess_landed_cost(uow, parse_consignment(consignment_json(**change)))
    assert caught.value.field == field
    assert uow.committed == 0

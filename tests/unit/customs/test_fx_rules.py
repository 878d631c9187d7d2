"""The customs exchange-rate rules on worked cases (rates made up, days from the calendar).

Art. 146 Impl. Reg. (EU) 2015/2447: the ECB rate of the penultimate Wednesday of the month
before (or the last published before it); GACC: the rate of the third Wednesday of the
month before, from the CN table, else the ECB cross rate with the warning fx_cross_rate.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ewtp.domain.customs import Assessment, parse_consignment
from ewtp.domain.customs.fx_rules import StaleRate, penultimate_wednesday, third_wednesday
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import FakeCustomsUnitOfWork, consignment_json, item


def test_the_wednesdays_come_from_the_calendar() -> None:
    # November 2026: Wednesdays 4, 11, 18, 25. December 2026: 2, 9, 16, 23, 30.
    assert penultimate_wednesday(2026, 11) == date(2026, 11, 18)
    assert penultimate_wednesday(2026, 12) == date(2026, 12, 23)
    assert third_wednesday(2026, 11) == date(2026, 11, 18)
    assert third_wednesday(2026, 12) == date(2026, 12, 16)
    assert penultimate_wednesday(2027, 1) == date(2027, 1, 20)  # 6, 13, 20, 27


def _run(uow: FakeCustomsUnitOfWork, **overrides: object) -> Assessment:
    data = consignment_json(
        currency="USD", transport_cost="0", items=[item(quantity=1, unit_value="100")]
    )
    data.update(overrides)
    return assess_landed_cost(uow, parse_consignment(data))


def _uow(*rows: tuple[str, str, str]) -> FakeCustomsUnitOfWork:
    uow = FakeCustomsUnitOfWork()
    uow.fx.add_rates([(date.fromisoformat(d), c, Decimal(r)) for d, c, r in rows], "test")
    return uow


def test_a_december_consignment_takes_the_rate_of_the_penultimate_wednesday_of_november() -> None:
    uow = _uow(("2026-11-17", "USD", "1.2500"), ("2026-11-18", "USD", "1.2000"),
               ("2026-11-19", "USD", "1.1000"), ("2026-12-03", "USD", "1.0000"))  # fmt: skip
    for day in ("2026-12-01", "2026-12-31"):
        a = _run(uow, date=day)
        assert (a.exchange_rate_rule, a.exchange_rate_date) == ("eu_art146_ecb", date(2026, 11, 18))
        assert a.intrinsic_value_eur == Decimal("83.33")  # 100 / 1.2 = 83.333...


def test_without_a_fixing_that_wednesday_the_last_one_before_it_applies() -> None:
    # No fixing on 2026-11-18 (as on a TARGET holiday): the one of 11-16 applies, not 11-19.
    uow = _uow(("2026-11-16", "USD", "1.6000"), ("2026-11-19", "USD", "1.1000"))
    a = _run(uow, date="2026-12-10")
    assert a.exchange_rate_date == date(2026, 11, 16)
    assert a.intrinsic_value_eur == Decimal("62.50")  # 100 / 1.6


def test_a_rule_day_after_the_newest_rate_held_is_a_stale_error_naming_the_currency() -> None:
    uow = _uow(("2026-11-10", "USD", "1.2"))
    with pytest.raises(StaleRate) as caught:
        _run(uow, date="2026-12-01")
    assert (caught.value.code, caught.value.field) == ("exchange_rate_stale", "currency")
    assert "2026-11-10" in caught.value.message  # the newest rate held
    assert "2026-11-18" in caught.value.message  # the publication the rule needs
    assert "ewtp fx fetch" in caught.value.message


def test_into_china_the_cn_customs_table_of_the_month_is_used() -> None:
    uow = _uow(("2026-11-18", "USD", "1.2"), ("2026-11-18", "CNY", "8.4"))
    uow.fx.add_table_rates(
        "cn-customs",
        [(date(2026, 11, 18), "USD", Decimal("7.1")), (date(2026, 11, 18), "EUR", Decimal("8.2"))],
        "test",
    )
    data = {"destination_country": "CN", "origin_country": "FR", "date": "2026-12-05",
            "items": [item(hs_code="61091000", quantity=1, unit_value="100", origin_country="FR")]}  # fmt: skip
    a = _run(uow, **data)
    assert (a.exchange_rate_rule, a.exchange_rate_date) == ("cn_gacc_pboc", date(2026, 11, 18))
    assert a.intrinsic_value == Decimal("710.00")  # 100 USD x 7.1
    assert a.intrinsic_value_eur == Decimal("86.59")  # 100 x 7.1 / 8.2 = 86.585...
    assert a.vat == Decimal("64.61")  # 710 x 13% x 70% = 64.61
    assert "fx_cross_rate" not in [w.code for w in a.warnings]


def test_without_a_cn_table_the_ecb_cross_rate_warns() -> None:
    uow = _uow(("2026-11-18", "USD", "1.25"), ("2026-11-18", "CNY", "8.75"))
    data = {"destination_country": "CN", "origin_country": "FR", "date": "2026-12-05",
            "items": [item(hs_code="61091000", quantity=1, unit_value="100", origin_country="FR")]}  # fmt: skip
    a = _run(uow, **data)
    assert a.exchange_rate_rule == "cn_ecb_cross_rate"
    assert a.intrinsic_value == Decimal("700.00")  # 100 x 8.75 / 1.25
    assert "fx_cross_rate" in [w.code for w in a.warnings]


def test_a_member_state_outside_the_euro_uses_its_national_table() -> None:
    # Romania: BNR rates of the penultimate Wednesday, RON per unit. RON 25 fee per parcel.
    uow = _uow(("2026-11-18", "USD", "1.2"), ("2026-11-18", "RON", "5.0"))
    uow.fx.add_table_rates(
        "national-RO",
        [(date(2026, 11, 18), "USD", Decimal("4.5")), (date(2026, 11, 18), "EUR", Decimal("5.1"))],
        "test",
    )
    a = _run(uow, destination_country="RO", date="2026-12-05")
    assert a.exchange_rate_rule == "eu_art146_national_RO"
    assert a.intrinsic_value_eur == Decimal("88.24")  # 100 x 4.5 / 5.1 = 88.235...
    # RON 25 / 5.1 = 4.9019 -> 4.90, plus the EU handling fee row (EUR 2, unconfirmed).
    assert a.fees == Decimal("6.90")
    assert "rule_unconfirmed" in [w.code for w in a.warnings]

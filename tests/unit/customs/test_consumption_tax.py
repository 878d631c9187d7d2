"""China consumption tax as the law states it: conditions on price per unit, both sides.

Official formula (Cai Guan Shui [2016] No. 18, within the limits): VAT + CT =
price x (VAT + CT) / (1 - CT) x 70%. High-end cosmetics 15% only at CNY 10 or more per ml
or g, or CNY 15 or more per piece or sheet (Cai Shui [2016] No. 103); high-end watches 20%
only at CNY 10,000 or more per watch, headings 91.01 and 91.02 (Cai Shui [2006] No. 33).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from ewtp.domain.customs import Assessment, parse_consignment
from ewtp.domain.customs.cbec import NetQuantityRequired
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import FakeCustomsUnitOfWork, consignment_json, item


def _run(*items: dict[str, Any]) -> Assessment:
    data = consignment_json(
        date="2026-11-20", origin_country="FR", destination_country="CN", currency="CNY",
        transport_cost="0", items=list(items),
    )  # fmt: skip
    return assess_landed_cost(FakeCustomsUnitOfWork(), parse_consignment(data))


def _cream(value: str, net: str | None, unit: str | None = "ml", qty: int = 1) -> dict[str, Any]:
    extra = {} if net is None else {"net_quantity": net, "net_unit": unit}
    return item(description="Face cream", hs_code="33049900", quantity=qty, unit_value=value,
                origin_country="FR", **extra)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "net", "unit", "vat", "ct"),
    [
        # 500 CNY for 50 ml = CNY 10.00/ml: taxed. 500/0.85 x 13% x 70% = 53.5294;
        # 500/0.85 x 15% x 70% = 61.7647.
        ("500", "50", "ml", "53.53", "61.76"),
        # 499.99 for 50 ml = 9.9998/ml: not high-end. 499.99 x 13% x 70% = 45.4991.
        ("499.99", "50", "ml", "45.50", "0.00"),
        # per g, same threshold: 300 for 30 g = 10/g, taxed; 300/0.85 x 0.091 = 32.1176.
        ("300", "30", "g", "32.12", "37.06"),
        # 15 per sheet: a box of 10 masks at 150 is taxed, at 149 it is not.
        ("150", "10", "sheet", "16.06", "18.53"),
        ("149", "10", "sheet", "13.56", "0.00"),
    ],
)
def test_cosmetics_are_taxed_only_from_the_price_per_unit_threshold(
    value: str, net: str, unit: str, vat: str, ct: str
) -> None:
    a = _run(_cream(value, net, unit))
    assert (a.vat, a.consumption_tax) == (Decimal(vat), Decimal(ct))


def test_the_threshold_is_per_unit_of_content_whatever_the_quantity() -> None:
    # 3 jars of 50 ml at 400 each: 1200 / 150 ml = 8/ml, below 10: no consumption tax.
    a = _run(_cream("400", "50", "ml", qty=3))
    assert a.consumption_tax == Decimal("0.00")
    assert a.vat == Decimal("109.20")  # 1200 x 13% x 70%


def test_watches_in_91_01_and_91_02_are_taxed_only_from_cny_10000_each() -> None:
    # Above the CNY 5,000 limit a single item pays full rates: duty 8% (sample line),
    # VAT 13% and CT 20% of (price + duty) / (1 - 20%).
    watch = item(description="Wrist watch", hs_code="91021100", quantity=1,
                 unit_value="10000", origin_country="CH")  # fmt: skip
    a = _run(watch)
    assert a.duty == Decimal("800.00")
    assert a.consumption_tax == Decimal("2700.00")  # 10800 / 0.8 x 20%
    assert a.vat == Decimal("1755.00")  # 10800 / 0.8 x 13%
    cheaper = _run({**watch, "unit_value": "9999.99"})
    assert cheaper.consumption_tax == Decimal("0.00")
    assert cheaper.vat == Decimal("1404.00")  # (9999.99 + 799.9992) x 13% = 1403.9986


def test_a_missing_net_quantity_is_refused_by_field_name_never_guessed() -> None:
    with pytest.raises(NetQuantityRequired) as caught:
        _run(item(hs_code="61091000", quantity=1, unit_value="10", origin_country="FR"),
             _cream("500", None))  # fmt: skip
    assert caught.value.field == "items[1].net_quantity"
    assert caught.value.code == "net_quantity_required"

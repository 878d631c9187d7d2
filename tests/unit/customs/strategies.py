"""Hypothesis strategies: random manifests (one row per item line), mostly valid."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ewtp.domain.customs.model import Consignment, Item
from ewtp.domain.customs.money import EcbRate

EU_DEST = ["FR", "DE", "BE", "IT", "RO", "FI", "SK", "EE", "AT", "NL"]
HS = ["610910", "851713", "910211", "850440", "851830", "220830", "240220", "330300",
      "620342", "847130", "999999", "61091000", "33049900", "91021100", "85183000", "95030000"]  # fmt: skip
DATES = ["2024-08-30", "2024-09-02", "2025-07-15", "2026-03-10", "2026-06-30", "2026-07-01",
         "2026-08-15", "2026-10-30", "2026-11-01", "2026-11-22", "2028-07-03", "2019-05-05"]  # fmt: skip
CURRENCIES = ["EUR", "EUR", "USD", "CNY", "GBP", "RON", "JPY", "XXX"]
DESCRIPTIONS = ["Cotton T-shirt", "Smartphone", "watch", "ivory carving", "replica bag",
                "pepper spray", "Face cream", "gift", "", "Whisky"]  # fmt: skip


def money(max_value: int = 400) -> st.SearchStrategy[str]:
    return st.one_of(
        st.decimals(min_value=0, max_value=max_value, places=2).map(str),
        st.decimals(min_value=0, max_value=max_value, places=4).map(str),
        st.sampled_from(["", "-1", "abc", "1e2", " 5", "0.00001"]),
    )


@st.composite
def consignment_rows(draw: st.DrawFn, cid: str) -> list[dict[str, Any]]:
    cn = draw(st.booleans().map(lambda b: b and draw(st.integers(0, 3)) == 0))
    header = {
        "consignment_id": cid,
        "date": draw(st.sampled_from(DATES)),
        "origin_country": "FR"
        if cn
        else draw(st.sampled_from(["CN", "CN", "HK", "US", "FR", "ZZ"])),
        "destination_country": "CN" if cn else draw(st.sampled_from([*EU_DEST, "US"])),
        "import_country": draw(st.sampled_from(["", "", "BE", "FR"])),
        "seller_ioss": draw(
            st.sampled_from(["", "", "IM0560000001", "IM2500000001", "IM9990000001"])
        ),
        "currency": draw(st.sampled_from(CURRENCIES)),
        "transport_cost": draw(money(30)),
        "insurance_cost": draw(st.sampled_from(["0", "0", "1.50", "0.3333"])),
        "scheme": draw(
            st.sampled_from(["", "auto", "auto", "standard", "ioss", "special_arrangements"])
        ),
        "buyer_annual_used": draw(st.sampled_from(["", "", "20000", "25990.5"])),
        "buyer_id": draw(st.sampled_from(["", "b1", "b2", " b1 ", "b3"])),
    }
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        battery = draw(st.sampled_from([None, None, None, "UN3481", "UN3480", "UN3091"]))
        rows.append(
            {
                **header,
                "hs_code": draw(st.sampled_from(HS)),
                "description": draw(st.sampled_from(DESCRIPTIONS)),
                "quantity": draw(st.sampled_from(["1", "1", "2", "5", "0", "x"])),
                "unit_value": draw(money(3000 if cn else 200)),
                "item_origin_country": draw(st.sampled_from(["CN", "CN", "FR", "CH"])),
                "weight_kg": draw(st.sampled_from(["0.2", "1", "0"])),
                "battery_un_number": battery,
                "battery_watt_hours": draw(st.sampled_from(["", "50", "150"])) if battery else None,
                "battery_lithium_grams": draw(st.sampled_from(["", "0.5", "2"]))
                if battery
                else None,
                # Net content: the cosmetics consumption-tax condition (or its refusal).
                "net_quantity": draw(st.sampled_from(["", "", "50", "0.5", "-1"])),
                "net_unit": draw(st.sampled_from(["", "ml", "sheet", "litre"])),
            }
        )
    return rows


@st.composite
def manifests(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 25))
    rows: list[dict[str, Any]] = []
    for n in range(count):
        rows.extend(draw(consignment_rows(f"C{n}")))
    return rows


def exact_amounts() -> st.SearchStrategy[Decimal | Fraction | int]:
    """Amounts of every kind `cents()` takes, either sign, many digits and halves included."""
    return st.one_of(
        st.decimals(min_value=-(10**8), max_value=10**8, places=4, allow_nan=False),
        st.decimals(min_value=-(10**8), max_value=10**8, places=12, allow_nan=False),
        st.integers(-(10**10), 10**10).map(lambda n: Decimal(n).scaleb(-3)),  # x.xx5 ties
        st.fractions(max_denominator=10**9).filter(lambda f: abs(f) < 10**9),
        st.integers(-(10**9), 10**9),
    )


@st.composite
def ecb_rates(draw: st.DrawFn) -> EcbRate:
    """An ECB rate: positive, up to 6 decimals, in one of a few currencies."""
    per_eur = draw(st.decimals(min_value="0.000001", max_value=100000, places=6))
    return EcbRate(draw(st.sampled_from(["EUR", "USD", "CNY", "JPY"])), per_eur, date(2026, 1, 5))


@st.composite
def eu_consignments(draw: st.DrawFn) -> Consignment:
    """Well-formed consignments into the EU (no parsing noise), for arithmetic oracles."""
    on = date.fromisoformat(draw(st.sampled_from(DATES[:-1])))
    value = st.one_of(
        st.decimals(min_value=0, max_value=200, places=2),
        st.decimals(min_value="0.0001", max_value=3000, places=4),
    )
    items = draw(
        st.lists(
            st.builds(
                Item,
                description=st.sampled_from(DESCRIPTIONS),
                hs_code=st.sampled_from(HS),
                quantity=st.integers(1, 5),
                unit_value=value,
                origin_country=st.sampled_from(["CN", "FR", "CH"]),
                weight_kg=st.just(Decimal("0.2")),
            ),
            min_size=1,
            max_size=4,
        )
    )
    return Consignment(
        date=on,
        origin_country=draw(st.sampled_from(["CN", "HK", "US"])),
        destination_country=draw(st.sampled_from(EU_DEST)),
        currency=draw(st.sampled_from(["EUR", "EUR", "USD", "CNY", "GBP", "JPY"])),
        transport_cost=draw(st.decimals(min_value=0, max_value=30, places=2)),
        insurance_cost=draw(st.sampled_from([Decimal(0), Decimal("1.50"), Decimal("0.3333")])),
        items=tuple(items),
        seller_ioss=draw(st.sampled_from([None, None, "IM0560000001"])),
        scheme=draw(st.sampled_from(["auto", "auto", "standard", "ioss"])),
    )

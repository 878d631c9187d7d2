"""The bulk engine gives exactly the scalar engine's result, consignment by consignment."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings

from ewtp.adapters.customs.fx import bundled_sources
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.adapters.polars.customs_manifest import BulkContext, assess_frame
from ewtp.adapters.polars.customs_manifest.scalar import assess_rows
from ewtp.domain.customs.manifest import MONEY_COLUMNS, RESULT_COLUMNS
from unit.customs.strategies import manifests

# Stored CBEC usage by (buyer_id, year), read-only: the strategies draw buyers b1..b3.
USAGE = {
    ("b1", 2026): Decimal("20000.00"), ("b2", 2026): Decimal("25990.50"),
    ("b1", 2024): Decimal("25999.99"), ("b2", 2028): Decimal("100.00"),
}  # fmt: skip
CTX = BulkContext(load_rule_book(), bundled_sources(), USAGE)


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Money columns (Decimal(18, 2)) as the scalar engine's "0.00" strings."""
    return frame.with_columns(pl.col(c).cast(pl.String) for c in MONEY_COLUMNS)


def scalar_records(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for cid, group in itertools.groupby(rows, key=lambda r: r["consignment_id"]):
        out.append(assess_rows(cid, list(group), CTX.book, CTX.rates, CTX.usage))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(manifests())
def test_bulk_equals_scalar_on_random_manifests(rows: list[dict[str, Any]]) -> None:
    frame = pl.DataFrame(rows, schema=dict.fromkeys(rows[0], pl.String))
    bulk = as_text(assess_frame(frame, CTX)).to_dicts()
    expected = scalar_records(rows)
    assert [r["consignment_id"] for r in bulk] == [r["consignment_id"] for r in expected]
    for got, want in zip(bulk, expected, strict=True):
        assert {k: got[k] for k in RESULT_COLUMNS} == {k: want[k] for k in RESULT_COLUMNS}


def test_the_fast_path_covers_ordinary_consignments() -> None:
    """Guard against the bulk engine quietly falling back to the scalar path for everything."""
    rows = [
        {"consignment_id": f"C{n}", "date": "2026-11-20", "origin_country": "CN",
         "destination_country": "FR", "import_country": "BE", "seller_ioss": "IM0560000001",
         "currency": "EUR", "transport_cost": "3.00", "insurance_cost": "0", "hs_code": "610910",
         "description": "T-shirt", "quantity": "2", "unit_value": f"{n}.50",
         "item_origin_country": "CN", "weight_kg": "0.2"}
        for n in range(1, 70)
    ]  # fmt: skip
    import ewtp.adapters.polars.customs_manifest.frame as frame_module

    calls: list[str] = []
    original = frame_module.assess_rows
    frame_module.assess_rows = lambda cid, *a: calls.append(cid) or original(cid, *a)  # type: ignore[assignment]
    try:
        out = assess_frame(pl.DataFrame(rows), CTX)
    finally:
        frame_module.assess_rows = original
    assert calls == []
    assert out.height == 69
    assert out["scheme"].unique().to_list() == ["ioss"]


def test_stored_cbec_usage_by_buyer_id_counts_in_bulk_as_in_scalar() -> None:
    """b2 has used 25,990.50 CNY of the 26,000 annual limit in 2026 (stored, read-only)."""
    base = {
        "date": "2026-11-20", "origin_country": "FR", "destination_country": "CN",
        "import_country": "", "seller_ioss": "", "currency": "CNY", "transport_cost": "0",
        "insurance_cost": "0", "hs_code": "61091000", "description": "T-shirt",
        "quantity": "1", "unit_value": "100.00", "item_origin_country": "FR",
        "weight_kg": "0.2", "scheme": "", "buyer_annual_used": "",
    }  # fmt: skip
    rows = [
        base | {"consignment_id": "no-buyer", "buyer_id": ""},
        base | {"consignment_id": "b2", "buyer_id": "b2"},
        base | {"consignment_id": "b2-said-0", "buyer_id": "b2", "buyer_annual_used": "0"},
        base | {"consignment_id": "b2-2025", "buyer_id": "b2", "date": "2025-11-20"},
    ]
    bulk = as_text(assess_frame(pl.DataFrame(rows), CTX)).to_dicts()
    assert [r["allowed"] for r in bulk] == [True, False, True, True]
    for got, want in zip(bulk, scalar_records(rows), strict=True):
        assert {k: got[k] for k in RESULT_COLUMNS} == {k: want[k] for k in RESULT_COLUMNS}

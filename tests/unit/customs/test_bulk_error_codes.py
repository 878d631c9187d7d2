"""Per-row codes of the bulk engine for the new conditions: net content and stale rates."""

from __future__ import annotations

import polars as pl

from ewtp.adapters.customs.fx import bundled_sources
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.adapters.polars.customs_manifest import BulkContext, assess_frame

CTX = BulkContext(load_rule_book(), bundled_sources())


def _row(cid: str, **overrides: str) -> dict[str, str]:
    row = {
        "consignment_id": cid, "date": "2026-11-20", "origin_country": "FR",
        "destination_country": "CN", "import_country": "", "seller_ioss": "",
        "currency": "CNY", "transport_cost": "0", "insurance_cost": "0",
        "hs_code": "33049900", "description": "Face cream", "quantity": "1",
        "unit_value": "500", "item_origin_country": "FR", "weight_kg": "0.2",
        "net_quantity": "", "net_unit": "",
    }  # fmt: skip
    row.update(overrides)
    return row


def test_each_consignment_gets_its_own_code_and_the_good_ones_are_assessed() -> None:
    rows = [
        _row("missing"),
        _row("given", net_quantity="50", net_unit="ml"),
        _row("stale", date="2027-02-10", destination_country="DE", currency="USD",
             hs_code="610910", origin_country="CN", item_origin_country="CN"),
    ]  # fmt: skip
    out = {r["consignment_id"]: r for r in assess_frame(pl.DataFrame(rows), CTX).to_dicts()}
    assert out["missing"]["error_codes"] == "net_quantity_required"
    assert out["missing"]["error_message"].startswith("items[0].net_quantity")
    assert out["given"]["allowed"] is True
    assert str(out["given"]["consumption_tax"]) == "61.76"  # 500 / 0.85 x 15% x 70%
    assert out["stale"]["error_codes"] == "exchange_rate_stale"
    assert out["stale"]["error_message"].startswith("currency:")

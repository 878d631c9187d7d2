"""A manifest with a buyer_id column uses the stored CBEC usage, read-only, as a quote does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.polars.customs_manifest import BulkContext
from ewtp.adapters.polars.customs_manifest.runner import PolarsManifestEngine
from ewtp.domain.customs import parse_consignment
from ewtp.services.customs.assess_manifest import assess_manifest
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import consignment_json, item


@pytest.fixture
def make_uow(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    yield lambda: SqlAlchemyCustomsUnitOfWork(factory)
    engine.dispose()


def test_bulk_reads_stored_usage_by_buyer_id_and_records_none(make_uow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with make_uow() as uow:
        uow.cbec_usage.add("b2", 2026, Decimal("25990.50"), datetime(2026, 11, 1, tzinfo=UTC))
        uow.commit()
    row = {
        "date": "2026-11-20", "origin_country": "FR", "destination_country": "CN",
        "import_country": "", "seller_ioss": "", "currency": "CNY", "transport_cost": "0",
        "insurance_cost": "0", "hs_code": "61091000", "description": "T-shirt",
        "quantity": "1", "unit_value": "100.00", "item_origin_country": "FR",
        "weight_kg": "0.2",
    }  # fmt: skip
    rows = [row | {"consignment_id": c, "buyer_id": b} for c, b in [("A", "b1"), ("B", "b2")]]
    pl.DataFrame(rows).write_csv(tmp_path / "in.csv")
    assess_manifest(
        make_uow(), PolarsManifestEngine(), tmp_path / "in.csv", tmp_path / "out.csv",
        context_factory=BulkContext,
    )  # fmt: skip
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert out["allowed"].to_list() == ["true", "false"]
    quote = assess_landed_cost(
        make_uow(),
        parse_consignment(
            consignment_json(
                date="2026-11-20",
                origin_country="FR",
                destination_country="CN",
                currency="CNY",
                transport_cost="0",
                buyer_id="b2",
                items=[
                    item(hs_code="61091000", quantity=1, unit_value="100.00", origin_country="FR")
                ],
            )
        ),
    )
    assert not quote.allowed
    assert out.row(1, named=True)["error_codes"] == ";".join(sorted({e.code for e in quote.errors}))
    with make_uow() as uow:  # nothing recorded by the bulk run
        assert uow.cbec_usage.snapshot() == {("b2", 2026): Decimal("25990.50")}

"""`ewtp fx load` formats, persistence in the database, the age limit, and both engines.

The files are small copies of the ECB's two published layouts: the history
(eurofxref-hist.zip: ISO dates, trailing comma, "N/A" gaps) and the daily file
(eurofxref.csv: "27 November 2026" dates and a space before every cell).
"""

from __future__ import annotations

import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from ewtp.adapters.customs.fx import bundled_rates, read_ecb_rows, stale_rates_warning
from ewtp.adapters.db.customs.repository import newest_fx_date
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.polars.customs_manifest import BulkContext, assess_frame
from ewtp.config import get_settings
from ewtp.domain.customs import parse_consignment
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.admin import load_fx_rates
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import consignment_json, item

HIST = (
    "Date,USD,JPY,CNY,XYZ,\n2026-11-30,1.2000,160.10,8.0000,N/A,\n2026-11-27,1.1000,159.00,7.9000,N/A,\n"
    "2026-11-18,1.2200,158.00,7.8000,N/A,\n"
)
DAILY = "Date, USD, JPY, CNY, \n01 December 2026, 1.2500, 161.00, 8.1000, \n"


@pytest.fixture
def make_uow(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    yield lambda: SqlAlchemyCustomsUnitOfWork(factory)
    engine.dispose()


def test_history_zip_and_daily_csv_load_persist_and_feed_both_engines(
    make_uow, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(tmp_path / "eurofxref-hist.zip", "w") as archive:
        archive.writestr("eurofxref-hist.csv", HIST)
    (tmp_path / "eurofxref.csv").write_text(DAILY)
    hist = read_ecb_rows(tmp_path / "eurofxref-hist.zip")
    daily = read_ecb_rows(tmp_path / "eurofxref.csv")
    assert (date(2026, 11, 30), "USD", Decimal("1.2000")) in hist
    assert all(c != "XYZ" for _, c, _ in hist)  # "N/A" cells are skipped
    assert daily == [
        (date(2026, 12, 1), "USD", Decimal("1.2500")),
        (date(2026, 12, 1), "JPY", Decimal("161.00")),
        (date(2026, 12, 1), "CNY", Decimal("8.1000")),
    ]
    load_fx_rates(make_uow(), hist, "ECB file eurofxref-hist.zip")
    load_fx_rates(make_uow(), daily, "ECB file eurofxref.csv")

    on = date(2026, 12, 6)  # a Sunday, 37 days after the bundled data ends
    with pytest.raises(InvalidInput, match="ewtp fx load"):
        bundled_rates().rate("USD", on)
    with make_uow() as uow:  # a new unit of work: the rates are in the database
        scalar_rate = uow.fx.rate("USD", on)
        table = uow.fx.table()
    assert (scalar_rate.per_eur, scalar_rate.on) == (Decimal("1.25"), date(2026, 12, 1))
    assert table.ecb.rate("USD", on) == scalar_rate

    # Customs (Art. 146) takes the rate of the penultimate Wednesday of November, 11-18.
    data = consignment_json(
        date=on.isoformat(), currency="USD", transport_cost="0",
        items=[item(quantity=1, unit_value="12.20")],
    )  # fmt: skip
    scalar = assess_landed_cost(make_uow(), parse_consignment(data))
    row = {
        "consignment_id": "C1", "date": on.isoformat(), "origin_country": "CN",
        "destination_country": "DE", "import_country": "", "seller_ioss": "", "currency": "USD",
        "transport_cost": "0", "insurance_cost": "0", "hs_code": "610910",
        "description": "T-shirt", "quantity": "1", "unit_value": "12.20",
        "item_origin_country": "CN", "weight_kg": "0.2",
    }  # fmt: skip
    with make_uow() as uow:
        ctx = BulkContext(uow.customs_rules.rule_book(), uow.fx.table())
    bulk = assess_frame(pl.DataFrame([row]), ctx).row(0, named=True)
    assert scalar.intrinsic_value_eur == Decimal("10.00")  # 12.20 USD / 1.22
    assert str(scalar.exchange_rate_date) == "2026-11-18"
    assert str(bulk["intrinsic_value_eur"]) == "10.00"
    assert bulk["exchange_rate"] == scalar.to_json()["exchange_rate"]


def test_max_age_is_a_setting_with_a_clear_error(make_uow, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    on = date(2026, 12, 10)  # 41 days after the bundled data ends (2026-10-30)
    get_settings.cache_clear()
    try:
        with make_uow() as uow, pytest.raises(InvalidInput) as caught:
            uow.fx.rate("USD", on)
        message = str(caught.value)
        assert "within 31 days" in message
        assert "EWTP_FX_MAX_AGE_DAYS" in message
        assert "eurofxref-hist.zip" in message
        assert "ewtp fx load" in message
        monkeypatch.setenv("EWTP_FX_MAX_AGE_DAYS", "60")
        get_settings.cache_clear()
        with make_uow() as uow:
            assert uow.fx.rate("USD", on).on == date(2026, 10, 30)
            assert uow.fx.table().ecb.rate("USD", on).on == date(2026, 10, 30)
    finally:
        get_settings.cache_clear()


def test_the_newest_rate_held_and_the_start_up_warning_about_its_age(db_url: str) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    bundled = bundled_rates().latest("USD", date.max)
    assert bundled is not None
    with factory() as session:
        assert newest_fx_date(session) == bundled.on
    newer = date.fromordinal(bundled.on.toordinal() + 40)
    load_fx_rates(
        SqlAlchemyCustomsUnitOfWork(factory), [(newer, "USD", Decimal("1.1"))], "test file"
    )
    with factory() as session:
        assert newest_fx_date(session) == newer
        assert newest_fx_date(session, "CNY") == bundled_rates().latest("CNY", date.max).on  # type: ignore[union-attr]
    engine.dispose()
    day = timedelta(days=1)
    assert stale_rates_warning(newer, newer + 31 * day, 31) is None
    stale = stale_rates_warning(newer, newer + 32 * day, 31)
    assert stale is not None
    assert newer.isoformat() in stale
    assert "ewtp fx load FILE" in stale
    assert "EWTP_FX_MAX_AGE_DAYS" in stale
    assert stale_rates_warning(None, newer, 31) is not None

"""Customs ports on real databases (SQLite and PostgreSQL): usage, rates, fees, tariff, jobs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.domain.customs import parse_consignment
from ewtp.domain.customs.rules import Fee, TariffLine
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.admin import (
    add_fee,
    end_fee,
    fee_audit,
    load_fx_rates,
    load_tariff_lines,
)
from ewtp.services.customs.jobs import create_job, get_job
from ewtp.services.customs.landed_cost import assess_landed_cost
from ewtp.services.customs.ports import FeeActor
from unit.customs.fakes import consignment_json, item

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)


@pytest.fixture
def make_uow(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    yield lambda: SqlAlchemyCustomsUnitOfWork(factory)
    engine.dispose()


def cbec(value: str, buyer: str = "b-1") -> dict[str, object]:
    return consignment_json(
        date="2026-11-20", origin_country="FR", destination_country="CN", currency="CNY",
        transport_cost="0", buyer_id=buyer,
        items=[item(hs_code="61091000", quantity=1, unit_value=value, origin_country="FR")],
    )  # fmt: skip


def test_cbec_usage_is_stored_per_buyer_and_year(make_uow) -> None:  # type: ignore[no-untyped-def]
    for _ in range(6):
        a = assess_landed_cost(
            make_uow(), parse_consignment(cbec("4000")), record_cbec_usage=True, now=NOW
        )
        assert a.allowed
    refused = assess_landed_cost(
        make_uow(), parse_consignment(cbec("2500")), record_cbec_usage=True, now=NOW
    )
    assert [e.code for e in refused.errors] == ["cbec_annual_limit"]
    other = assess_landed_cost(
        make_uow(), parse_consignment(cbec("2500", "b-2")), record_cbec_usage=True, now=NOW
    )
    assert other.allowed
    with make_uow() as uow:
        assert uow.cbec_usage.used("b-1", 2026) == Decimal("24000.00")
        assert uow.cbec_usage.used("b-2", 2026) == Decimal("2500.00")
        assert uow.cbec_usage.used("b-1", 2027) == Decimal(0)


def test_loaded_ecb_rates_win_over_the_bundled_copy(make_uow) -> None:  # type: ignore[no-untyped-def]
    # A December consignment into China takes the rate of the third Wednesday of November.
    load_fx_rates(make_uow(), [(date(2026, 11, 18), "CNY", Decimal("8"))], "test file")
    data = cbec("0")
    data.update(
        date="2026-12-05",
        currency="EUR",
        items=[item(hs_code="61091000", quantity=1, unit_value="100", origin_country="FR")],
    )
    a = assess_landed_cost(make_uow(), parse_consignment(data))
    assert a.exchange_rate_date == date(2026, 11, 18)
    assert a.intrinsic_value == Decimal("800.00")


def test_operator_fee_rows_apply_from_their_date_and_can_be_ended(make_uow) -> None:  # type: ignore[no-untyped-def]
    fee = Fee("DE", Decimal("1.50"), "EUR", "parcel", True, date(2026, 9, 1), None, "test row")
    actor = FeeActor("acct", "ops@example.com")
    fee_id = add_fee(make_uow(), fee, actor=actor, now=datetime(2026, 8, 1, tzinfo=UTC))
    before = assess_landed_cost(make_uow(), parse_consignment(consignment_json(date="2026-08-31")))
    after = assess_landed_cost(make_uow(), parse_consignment(consignment_json(date="2026-09-01")))
    assert (before.fees, after.fees) == (Decimal("0.00"), Decimal("1.50"))
    end_fee(make_uow(), fee_id, date(2026, 9, 30), actor=actor,
            now=datetime(2026, 8, 2, tzinfo=UTC))  # fmt: skip
    audit = fee_audit(make_uow())
    assert [(e.action, e.actor, e.fee_id) for e in audit] == [
        ("end", "ops@example.com", fee_id),
        ("add", "ops@example.com", fee_id),
    ]
    assert audit[0].at == datetime(2026, 8, 2, tzinfo=UTC)
    later = assess_landed_cost(make_uow(), parse_consignment(consignment_json(date="2026-10-01")))
    assert later.fees == Decimal("0.00")
    with pytest.raises(InvalidInput):
        add_fee(
            make_uow(), Fee("US", Decimal(1), "EUR", "parcel", True, date(2026, 1, 1), None, "x"),
            actor=actor, now=datetime(2026, 8, 3, tzinfo=UTC),
        )  # fmt: skip
    assert len(fee_audit(make_uow())) == 2  # the refused row left no entry


def test_loaded_tariff_lines_let_new_codes_be_assessed(make_uow) -> None:  # type: ignore[no-untyped-def]
    data = consignment_json(items=[item(hs_code="852411", quantity=20)])
    with pytest.raises(InvalidInput):
        assess_landed_cost(make_uow(), parse_consignment(data))
    load_tariff_lines(
        make_uow(),
        [TariffLine("852411", "test", Decimal("5"), date(2021, 7, 1), None, "TARIC test")],
    )
    a = assess_landed_cost(make_uow(), parse_consignment(data))
    assert a.duty == Decimal("10.25")  # 5% x 205.00


def test_manifest_jobs_are_visible_only_to_their_account(make_uow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with make_uow() as uow:
        from ewtp.adapters.db.tables.accounts import AccountRow

        uow.session.add(AccountRow(id="acc-1", name="m", role="merchant", created_at=NOW))
        uow.commit()
    job = create_job(make_uow(), "acc-1", tmp_path, "csv", NOW)
    assert get_job(make_uow(), job.id, "acc-1").status == "queued"
    with pytest.raises(Exception, match="no such manifest job"):
        get_job(make_uow(), job.id, "acc-2")

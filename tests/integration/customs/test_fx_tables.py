"""CN customs and national rate tables through the database (`ewtp fx load --table`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from ewtp.adapters.customs.fx import parse_rate_table
from ewtp.adapters.db.customs.uow import SqlAlchemyCustomsUnitOfWork
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.domain.customs import parse_consignment
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.fx_rates import load_rate_table
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import consignment_json, item

Uow = Callable[[], SqlAlchemyCustomsUnitOfWork]

# GACC's monthly table for November 2026 (published on Wednesday 2026-11-18), CNY per unit;
# JPY is quoted per 100 units.
CN_TABLE = b"date,currency,rate,per\n2026-11-18,USD,7.1000,1\n2026-11-18,EUR,8.2000,1\n2026-11-18,JPY,4.7000,100\n"


@pytest.fixture
def make_uow(db_url: str) -> Iterator[Uow]:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    yield lambda: SqlAlchemyCustomsUnitOfWork(factory)
    engine.dispose()


def test_a_loaded_cn_table_is_the_rate_of_the_following_month(make_uow: Uow) -> None:
    rows = parse_rate_table(CN_TABLE)
    assert load_rate_table(make_uow(), "cn-customs", rows, "test table") == 3
    data = consignment_json(
        date="2026-12-05", origin_country="JP", destination_country="CN", currency="JPY",
        transport_cost="0",
        items=[item(hs_code="61091000", quantity=1, unit_value="10000", origin_country="JP")],
    )  # fmt: skip
    a = assess_landed_cost(make_uow(), parse_consignment(data))
    assert (a.exchange_rate_rule, str(a.exchange_rate_date)) == ("cn_gacc_pboc", "2026-11-18")
    assert a.intrinsic_value == 470  # 10,000 JPY x 4.70 CNY per 100 JPY
    assert a.warnings == ()


def test_table_names_and_bad_files_are_refused_by_field(make_uow: Uow) -> None:
    rows = parse_rate_table(CN_TABLE)
    with pytest.raises(InvalidInput) as caught:
        load_rate_table(make_uow(), "national-US", rows, "x")
    assert caught.value.field == "table"
    for bad in (
        b"day,currency,rate\n",
        b"date,currency,rate\n2026-11-18,USD,abc\n",
        b"date,currency,rate\n",
    ):
        with pytest.raises(InvalidInput) as caught:
            parse_rate_table(bad)
        assert caught.value.field == "file"

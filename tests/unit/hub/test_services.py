"""The hub use cases against in-memory fakes: batches, logging, KPIs, inbound, models."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from ewtp.domain.errors import InvalidInput, TooLarge
from ewtp.domain.hub import Reason
from ewtp.domain.hub.inbound import InboundParcel
from ewtp.domain.hub.kpis import HubScan
from ewtp.domain.s10 import make_s10
from ewtp.services.hub import (
    MAX_SCANS,
    Scan,
    compute_hub_kpis,
    day_departures,
    decide_sorts,
    forecast_inbound,
    show_hub,
)
from ewtp.services.hub.ports import BookedLeg, ParcelRecord
from unit.hub.fakes import FakeHubUnitOfWork

AT = datetime(2026, 11, 11, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 11, 9, 1, tzinfo=UTC)
CDG13 = BookedLeg("RD-LGG-CDG-13", "LGG", "CDG", datetime(2026, 11, 11, 12, 0, tzinfo=UTC))


def _record(
    number: str, status: str = "in_transit", milestone: str | None = "arrived"
) -> ParcelRecord:
    return ParcelRecord(number, status, "FR", AT + timedelta(days=2), (CDG13,), milestone, False)


def test_a_batch_is_answered_in_order_and_logged_once_with_who_asked() -> None:
    uow = FakeHubUnitOfWork()
    a, b = make_s10("LP", 1, "CN"), make_s10("LP", 2, "CN")
    uow.parcels.records = {a: _record(a), b: _record(b, "cancelled", None)}
    scans = [Scan(b, AT), Scan("not a number", AT), Scan(a.lower(), AT)]
    decisions = decide_sorts(uow, "lgg", scans, "operator-1", NOW)
    assert [d.reason for d in decisions] == [Reason.CANCELLED, Reason.UNKNOWN, Reason.PLANNED]
    assert [d.tracking_number for d in decisions] == [b, "not a number", a]
    assert [(h, who, at) for h, _, who, at in uow.decisions.rows] == [
        ("LGG", "operator-1", NOW)
    ] * 3
    assert uow.committed == 1


def test_bad_batches_fail_whole_and_log_nothing() -> None:
    uow = FakeHubUnitOfWork()
    with pytest.raises(TooLarge):
        decide_sorts(uow, "LGG", [Scan("x", AT)] * (MAX_SCANS + 1), None, NOW)
    with pytest.raises(InvalidInput) as err:
        decide_sorts(uow, "LGG", [], None, NOW)
    assert err.value.field == "scans"
    with pytest.raises(InvalidInput) as err:
        decide_sorts(uow, "XXX", [Scan("x", AT)], None, NOW)
    assert err.value.field == "hub"
    assert uow.decisions.rows == []


def test_kpis_read_the_scans_and_the_log() -> None:
    uow = FakeHubUnitOfWork()
    a = make_s10("LP", 1, "CN")
    uow.parcels.records = {a: _record(a)}
    late = AT + timedelta(hours=2)  # 11:51 in the chute misses the 11:00 cut-off
    uow.scans.scans = [("LGG", HubScan(a, "arrived", late))]
    (decision,) = decide_sorts(uow, "LGG", [Scan(a, late)], None, NOW)
    assert decision.reason is Reason.REROUTED
    kpis = compute_hub_kpis(uow, "LGG", AT, AT + timedelta(hours=4))
    assert kpis.backlog == 1
    assert [(m.service_id, m.rerouted) for m in kpis.cutoff_misses] == [("RD-LGG-CDG-13", 1)]
    with pytest.raises(InvalidInput) as err:
        compute_hub_kpis(uow, "LGG", AT, AT.replace(tzinfo=None))
    assert err.value.field == "to"


def test_inbound_groups_the_parcels_of_the_local_day() -> None:
    uow = FakeHubUnitOfWork()
    landing = datetime(2026, 11, 10, 23, 30, tzinfo=UTC)  # 00:30 on the 11th in Liège
    uow.inbound.parcels = [
        ("LGG", InboundParcel("P1", "AIR-HGH-LGG-1", "HGH", landing, Decimal(2), Decimal("0.01"))),
        ("LGG", InboundParcel("P2", "AIR-HGH-LGG-1", "HGH", landing, Decimal(3), Decimal("0.01"))),
    ]
    f = forecast_inbound(uow, "LGG", date(2026, 11, 11))
    assert [(s.service_id, s.parcels, s.kg) for s in f.services] == [
        ("AIR-HGH-LGG-1", 2, Decimal(5))
    ]
    assert forecast_inbound(uow, "LGG", date(2026, 11, 10)).services == ()


def test_the_day_plan_lists_the_local_days_departures_only() -> None:
    uow = FakeHubUnitOfWork()
    deps = day_departures(uow, "LGG", date(2026, 11, 11))
    brussels = [(d.departure.departure_utc + timedelta(hours=1)).date() for d in deps]
    assert set(brussels) == {date(2026, 11, 11)}
    assert show_hub(uow, "LGG", date(2026, 11, 11)).code == "LGG"

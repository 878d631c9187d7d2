"""Hub storage on SQLite and PostgreSQL: the decision log, loaded models, parcels."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from ewtp.adapters.db.hub.uow import SqlAlchemyHubUnitOfWork
from ewtp.adapters.db.tables.hub import SortDecisionRow
from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import TrackingEventRow
from ewtp.adapters.hub.files import BUILTIN_HUBS_DIR, read_hub_rows
from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import ParcelState, Reason
from ewtp.domain.hub.parse import Row
from ewtp.domain.s10 import make_s10
from ewtp.services.hub import Scan, decide_sorts, load_hub, show_hub
from ewtp.services.hub.decisions import parcel_of
from integration.merchant.helpers import NOW, factory, merchant, seed_network

AT = datetime(2026, 11, 11, 9, 0, tzinfo=UTC)


def _store_parcel(sessions, account: str, number: str, status: str, milestone: str | None,
                  customs: dict | None = None) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    sid = str(uuid.uuid4())
    leg = {"service_id": "RD-LGG-CDG-13", "mode": "road", "origin": "LGG", "destination": "CDG",
           "departure_utc": "2026-11-11T12:00:00+00:00", "arrival_utc": "2026-11-11T16:55:00+00:00"}  # fmt: skip
    with sessions.begin() as session:
        session.execute(insert(ShipmentRow).values(
            id=sid, account_id=account, status=status, tracking_number=number, origin_hub="HGH",
            destination_country="FR", promised_by=AT + timedelta(days=2), created_at=NOW,
            updated_at=NOW))  # fmt: skip
        session.execute(insert(ShipmentDetailRow).values(
            shipment_id=sid, request={}, option={"legs": [leg]}, customs=customs))  # fmt: skip
        if milestone:
            session.execute(insert(TrackingEventRow).values(
                tracking_number=number, code=milestone, milestone=milestone, occurred_at=AT,
                hub="LGG", received_at=AT))  # fmt: skip


def test_parcels_map_status_latest_scan_and_screening_and_every_decision_is_logged(
    db_url: str,
) -> None:
    with factory(db_url) as sessions:
        seed_network(sessions)
        account = merchant(sessions)
        numbers = [make_s10("LP", i, "CN") for i in range(1, 5)]
        restricted = {"assessment": {"warnings": [{"code": "restricted_cites", "item": 0}]}}
        _store_parcel(sessions, account, numbers[0], "in_transit", "arrived")
        _store_parcel(sessions, account, numbers[1], "cancelled", None)
        _store_parcel(sessions, account, numbers[2], "in_transit", "customs_hold")
        _store_parcel(sessions, account, numbers[3], "in_transit", "arrived", restricted)
        uow = SqlAlchemyHubUnitOfWork(sessions)
        with uow:
            found = uow.parcels.find(numbers)
        assert found[numbers[0]].latest_milestone == "arrived"
        assert found[numbers[3]].screening_flag is True
        parcel = parcel_of(found[numbers[0]], numbers[0], "LGG", {})
        assert (parcel.state, parcel.booked_service_id) == (ParcelState.ACTIVE, "RD-LGG-CDG-13")
        scans = [Scan(n, AT) for n in [*numbers, "LP000000015CN"]]
        decisions = decide_sorts(uow, "LGG", scans, account, NOW)
        assert [d.reason for d in decisions] == [
            Reason.PLANNED, Reason.CANCELLED, Reason.CUSTOMS_HOLD, Reason.CUSTOMS_HOLD,
            Reason.UNKNOWN,
        ]  # fmt: skip
        assert decisions[0].departure is not None
        assert decisions[0].departure.service_id == "RD-LGG-CDG-13"
        with uow:
            logged = uow.decisions.between("LGG", AT - timedelta(hours=1), AT + timedelta(hours=1))
            latest = uow.decisions.latest("LGG", numbers)
        assert [d.reason for d in logged] == [d.reason.value for d in decisions]
        assert logged[0].booked_service_id == "RD-LGG-CDG-13"
        assert set(latest) == set(numbers)

        with pytest.raises(InvalidInput) as err:
            decide_sorts(uow, "LGG", [Scan(numbers[0], AT), Scan(numbers[0], AT.replace(tzinfo=None))],
                         account, NOW)  # fmt: skip
        assert err.value.field == "scans[1].scanned_at"
        with sessions() as session:
            assert session.scalar(select(func.count()).select_from(SortDecisionRow)) == 5


def test_a_loaded_model_replaces_the_builtin_one_and_a_bad_one_changes_nothing(
    db_url: str,
) -> None:
    with factory(db_url) as sessions:
        uow = SqlAlchemyHubUnitOfWork(sessions)
        rows = read_hub_rows(BUILTIN_HUBS_DIR / "LGG")
        faster = {
            **rows,
            "times.csv": [
                Row(r.file, r.line, {**r.cells, "value": "30"})
                if r.cells["name"] == "uld_breakdown_minutes"
                else r
                for r in rows["times.csv"]
            ],
        }
        day = AT.date()
        assert show_hub(uow, "LGG", day).times.uld_breakdown_minutes == 45
        load_hub(uow, faster, day, NOW)
        assert show_hub(uow, "LGG", day).times.uld_breakdown_minutes == 30
        broken = {**rows, "shifts.csv": [*rows["shifts.csv"], Row("shifts.csv", 10, {
            "shift": "x", "resource": "sorter", "start": "07:00", "end": "09:00", "staffed": "1",
            "valid_from": "2021-11-08", "valid_to": "", "source": "x"})]}  # fmt: skip
        broken["shifts.csv"][0] = Row(
            "shifts.csv", 2, {**rows["shifts.csv"][0].cells, "start": "25:00"}
        )
        with pytest.raises(InvalidInput):
            load_hub(uow, broken, day, NOW)
        assert show_hub(uow, "LGG", day).times.uld_breakdown_minutes == 30

"""Booking (merchant platform) and scans feed the same outbox: one receiver sees both."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
import pytest

from e2e.merchant.conftest import live_server
from e2e.merchant.test_merchant_flow import booked_shipment
from e2e.tracking.receiver import run_receiver
from e2e.tracking.test_webhooks_e2e import FAST, start_worker
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.domain.webhooks.model import verify
from ewtp.services.accounts import create_account
from integration.tracking.conftest import NOW

pytestmark = pytest.mark.e2e


def test_booked_then_scanned_shipment_reaches_the_merchants_receiver(
    sqlite_template: Path, tmp_path: Path
) -> None:
    shutil.copy(sqlite_template, tmp_path / "ewtp.db")
    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    operator = create_account(
        SqlAlchemyUnitOfWork(make_session_factory(engine)), "hub", Role.OPERATOR, NOW
    )
    engine.dispose()
    with run_receiver() as receiver:
        for live in live_server(url, tmp_path, **FAST):
            hook = live.alice.post(
                "/v1/webhooks",
                json={"url": receiver.url, "events": ["shipment.booked", "tracking.updated"]},
            ).json()
            shipment = booked_shipment(live.alice)
            worker = start_worker(url, tmp_path, 1)
            try:
                receiver.wait_for(lambda r: len(r.ids()) == 1)
                scan = {"tracking_number": shipment["tracking_number"], "code": "accepted",
                        "occurred_at": shipment["booked_at"], "hub": "HGH"}  # fmt: skip
                posted = httpx.post(
                    f"{live.base}/v1/tracking/events",
                    json={"events": [scan]},
                    headers={"Authorization": f"Bearer {operator.plain}"},
                )
                assert posted.json()["accepted"] == 1, posted.text
                receiver.wait_for(lambda r: len(r.ids()) == 2)
            finally:
                worker.terminate()
                worker.wait(10)
            booked, updated = (r.json for r in receiver.requests)
            assert booked["type"] == "shipment.booked"
            assert booked["data"]["shipment_id"] == shipment["id"]
            assert updated["type"] == "tracking.updated"
            assert updated["data"]["status"] == "in_transit"
            for request in receiver.requests:
                header = request.headers["Ewtp-Signature"]
                assert verify(hook["secret"], header, request.body, int(time.time()))
            mine = live.alice.get(f"/v1/shipments/{shipment['id']}/tracking")
            assert mine.json()["status"] == "in_transit"
            assert live.bob.get(f"/v1/shipments/{shipment['id']}/tracking").status_code == 404

"""Real processes: `ewtp serve`, `ewtp worker`, and a real receiver on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from e2e.tracking.receiver import run_receiver
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.tables.tracking import OutboxEventRow
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.domain.webhooks.model import verify
from ewtp.services.accounts import IssuedKey, create_account
from ewtp.services.webhooks.deliver import DELIVERY_BATCH
from integration.tracking.conftest import NOW
from integration.tracking.shipments import BOOKED_AT, add_shipments
from support.server import run_server

pytestmark = pytest.mark.e2e
FAST = {
    "EWTP_WEBHOOK_ALLOW_PRIVATE": "1",
    "EWTP_WEBHOOK_ALLOW_HTTP": "1",  # the test receiver speaks plain http on loopback
    "EWTP_WEBHOOK_RETRY_SECONDS": "1,1,1",
    "EWTP_WORKER_POLL_SECONDS": "0.2",
}


class World:
    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.factory = make_session_factory(self.engine)

    def account(self, name: str, role: Role = Role.MERCHANT) -> IssuedKey:
        return create_account(SqlAlchemyUnitOfWork(self.factory), name, role, NOW)

    def outbox_ids(self) -> set[str]:
        with self.factory() as s:
            return set(s.scalars(select(OutboxEventRow.id)))


@contextmanager
def world(url: str) -> Iterator[World]:
    w = World(url)
    try:
        yield w
    finally:
        w.engine.dispose()


def start_worker(url: str, var_dir: Path, n: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "EWTP_DATABASE_URL": url, "EWTP_VAR_DIR": str(var_dir), **FAST}
    with (var_dir / f"worker-{n}.log").open("wb") as log:  # the child keeps its own handle
        return subprocess.Popen(
            [sys.executable, "-m", "ewtp", "worker"], env=env, stdout=log, stderr=log
        )


def post_scans(base: str, key: str, numbers: list[str], code: str = "accepted") -> None:
    events = [
        {
            "tracking_number": n,
            "code": code,
            "occurred_at": (BOOKED_AT + timedelta(hours=1)).isoformat(),
            "hub": "HGH",
        }
        for n in numbers
    ]
    answer = httpx.post(
        f"{base}/v1/tracking/events",
        json={"events": events},
        headers={"Authorization": f"Bearer {key}"},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["accepted"] == len(numbers)


def register(base: str, key: str, url: str) -> dict[str, str]:
    made = httpx.post(
        f"{base}/v1/webhooks",
        json={"url": url, "events": ["tracking.updated", "shipment.delivered"]},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert made.status_code == 201, made.text
    body: dict[str, str] = made.json()
    return body


def test_serve_delivers_signed_events_and_retries_after_a_500(db_url: str, tmp_path: Path) -> None:
    with (
        world(db_url) as w,
        run_receiver(answers=[500, 200]) as receiver,
        run_server(db_url, tmp_path, **FAST) as base,
    ):
        merchant, operator = w.account("M"), w.account("hub", Role.OPERATOR)
        hook = register(base, merchant.plain, receiver.url)
        (number,) = add_shipments(w.factory, merchant.account.id, [15])
        post_scans(base, operator.plain, [number])
        receiver.wait_for(lambda r: len(r.ids()) == 1)
        first, second = receiver.requests[:2]
        assert first.answered == 500
        assert first.json["id"] == second.json["id"]
        for request in (first, second):
            header = request.headers["Ewtp-Signature"]
            assert verify(hook["secret"], header, request.body, int(time.time()))
            assert not verify("whsec_wrong", header, request.body, int(time.time()))
        assert second.json["data"]["tracking_number"] == number
        listed = httpx.get(
            f"{base}/v1/webhooks/{hook['id']}/deliveries",
            headers={"Authorization": f"Bearer {merchant.plain}"},
        ).json()["data"]
        assert [(d["status"], d["attempts"]) for d in listed] == [("succeeded", 2)]


@pytest.mark.postgres
def test_killed_worker_loses_no_event(pg_url: str, tmp_path: Path) -> None:
    """Kill -9 a worker while it waits on a delivery it has sent, then finish with two."""
    with (
        world(pg_url) as w,
        run_receiver(delay=0.01, hold_at=40) as receiver,
        run_server(pg_url, tmp_path, EWTP_WORKER_IN_PROCESS="0", **FAST) as base,
    ):
        merchant, operator = w.account("M"), w.account("hub", Role.OPERATOR)
        register(base, merchant.plain, receiver.url)
        numbers = list(add_shipments(w.factory, merchant.account.id, range(1, 301)))
        post_scans(base, operator.plain, numbers)
        expected = w.outbox_ids()
        assert len(expected) == 300
        workers = [start_worker(pg_url, tmp_path, 1)]
        try:
            assert receiver.holding.wait(30), "the worker never reached request 41"
            os.kill(workers[0].pid, signal.SIGKILL)  # mid-batch: its claimed rows uncommitted
            workers[0].wait(10)
            receiver.release.set()
            workers = [start_worker(pg_url, tmp_path, 2), start_worker(pg_url, tmp_path, 3)]
            receiver.wait_for(lambda r: set(r.ids()) >= expected, timeout=60)
        finally:
            for proc in workers:
                proc.terminate()
            for proc in workers:
                proc.wait(10)
        received = receiver.ids()
        assert set(received) == expected  # every event arrived, none invented
        assert received.count(receiver.held_id) >= 2  # the one in flight was sent again
        assert len(received) - len(set(received)) <= DELIVERY_BATCH  # only the killed batch

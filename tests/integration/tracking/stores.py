"""One face for the stores the tracking use cases run against: the fakes and the database.

Tests set parcels up and read results through the ports (`uow.tracking`, `uow.webhooks`,
`uow.outbox`), so the same test checks the in-memory fakes, SQLite and PostgreSQL; only
putting shipments in, and the latest scan time the store keeps, differ.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.domain.accounts import Account, Role
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.s10 import make_s10
from ewtp.domain.webhooks.model import Endpoint
from ewtp.services.accounts import create_account
from ewtp.services.tracking.ports import ShipmentRef, StoredEvent, TrackingUnitOfWork
from ewtp.services.webhooks.outbox import OutboxEvent
from integration.tracking.conftest import NOW, Db
from integration.tracking.shipments import BOOKED_AT, add_shipments
from unit.tracking.fakes import FakeTracking

__all__ = ["DbStore", "FakeStore", "Store"]


class DbStore:
    def __init__(self, db: Db, kind: str) -> None:
        self.db, self.kind = db, kind

    def uow(self) -> TrackingUnitOfWork:
        return self.db.uow()

    def add_shipments(
        self,
        account_id: str,
        serials: list[int],
        *,
        status: str = "booked",
        promised_hours: int = 72,
    ) -> dict[str, str]:
        """Booked shipments as booking writes them; returns tracking number -> id."""
        return add_shipments(self.db.factory, account_id, serials, status=status,
                             promised_hours=promised_hours)  # fmt: skip

    def last_scan(self, number: str) -> datetime | None:
        with self.db.factory() as s:
            return s.scalar(
                select(ShipmentRow.last_scan_at).where(ShipmentRow.tracking_number == number)
            )


class FakeStore:
    kind = "fake"

    def __init__(self) -> None:
        self.fake = FakeTracking()

    def uow(self) -> TrackingUnitOfWork:
        return self.fake.uow()

    def add_shipments(
        self,
        account_id: str,
        serials: list[int],
        *,
        status: str = "booked",
        promised_hours: int = 72,
    ) -> dict[str, str]:
        made = {}
        for serial in serials:
            number = make_s10("LP", serial, "CN")
            made[number] = str(uuid.uuid4())
            self.fake.tracking.add_shipment(
                ShipmentRef(made[number], account_id, number, ShipmentStatus(status), "HGH",
                            "BE", BOOKED_AT + timedelta(hours=promised_hours), BOOKED_AT)
            )  # fmt: skip
        return made

    def last_scan(self, number: str) -> datetime | None:
        ship = self.fake.tracking.shipments[number]
        return self.fake.tracking.last_scan.get(ship.id)


# Shipments are put in and the kept latest scan time read differently; the rest is the ports.
Store = DbStore | FakeStore


def account(store: Store, name: str, role: Role = Role.MERCHANT) -> Account:
    return create_account(store.uow(), name, role, NOW).account


def subscribe(store: Store, account_id: str, *events: str) -> None:
    with store.uow() as uow:
        uow.webhooks.add_endpoint(
            Endpoint("ep-" + account_id[:8], account_id, "http://127.0.0.1:9/h",
                     events or ("tracking.updated", "shipment.delivered"), "whsec_x", NOW)
        )  # fmt: skip
        uow.commit()


def status_of(store: Store, number: str) -> str:
    with store.uow() as uow:
        ship = uow.tracking.get_shipment(number=number)
    assert ship is not None
    return ship.status.value


def timeline(store: Store, number: str) -> list[StoredEvent]:
    """The parcel's stored scans in time order, with their anomaly flags."""
    with store.uow() as uow:
        rows = uow.tracking.timelines([number]).get(number, [])
    return sorted(rows, key=lambda r: r.event.order_key)


def outbox(store: Store) -> list[OutboxEvent]:
    """Every event written and not yet fanned out (the worker's view)."""
    with store.uow() as uow:
        return uow.outbox.claim_undispatched(100_000)

"""Test helper: booked core shipment rows with valid S10 numbers, as booking would write them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.domain.s10 import make_s10

BOOKED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def add_shipments(
    factory: sessionmaker[Session],
    account_id: str,
    serials: range | list[int],
    *,
    status: str = "booked",
    origin_hub: str = "HGH",
    destination_country: str = "BE",
    promised_hours: int = 72,
) -> dict[str, str]:
    """Insert shipments; returns tracking number -> shipment id."""
    made: dict[str, str] = {}
    with factory() as session:
        for serial in serials:
            number = make_s10("LP", serial, "CN")
            made[number] = str(uuid.uuid4())
            session.add(
                ShipmentRow(
                    id=made[number],
                    account_id=account_id,
                    status=status,
                    tracking_number=number,
                    origin_hub=origin_hub,
                    destination_country=destination_country,
                    service_level="standard",
                    ready_at=BOOKED_AT,
                    promised_by=BOOKED_AT + timedelta(hours=promised_hours),
                    created_at=BOOKED_AT,
                    updated_at=BOOKED_AT,
                )
            )
        session.commit()
    return made

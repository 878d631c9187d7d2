"""The merchant's shipment: a request, then a booked option with its tracking number.

Status moves follow `ewtp.domain.lifecycle`; booking needs a draft, cancelling is allowed
until handover (the first acceptance scan moves it to in_transit).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ewtp.domain.errors import Conflict
from ewtp.domain.lifecycle import ShipmentStatus, can_cancel, transition
from ewtp.domain.merchant.quotes import QuoteOption
from ewtp.domain.merchant.shipments import ShipmentRequest

__all__ = ["Shipment", "book", "cancel", "sort_code"]


@dataclass(frozen=True, slots=True)
class Shipment:
    id: str
    account_id: str
    status: ShipmentStatus
    request: ShipmentRequest
    created_at: datetime
    updated_at: datetime
    quote_option_id: str | None = None
    option: QuoteOption | None = None
    origin_hub: str | None = None
    tracking_number: str | None = None
    booked_at: datetime | None = None
    cancelled_at: datetime | None = None
    customs: dict[str, Any] | None = None

    @property
    def destination_country(self) -> str:
        return self.request.recipient.country

    @property
    def ready_at(self) -> datetime | None:
        """The requested ready time, else the booked plan's first departure.

        Tracking plans the expected delivery of a booked, not yet scanned parcel from it.
        """
        if self.request.ready_at is not None:
            return self.request.ready_at
        legs = self.option.legs if self.option else ()
        return legs[0].departure_utc if legs else None


def book(
    shipment: Shipment,
    option: QuoteOption,
    origin_hub: str,
    tracking_number: str,
    customs: dict[str, Any],
    now: datetime,
) -> Shipment:
    """The shipment booked on `option`: it has a tracking number and customs records."""
    if shipment.status is not ShipmentStatus.DRAFT:
        raise Conflict(
            f"only a draft shipment can be booked; this one is {shipment.status.value}",
            field="status",
        )
    return replace(
        shipment,
        status=transition(shipment.status, ShipmentStatus.BOOKED),
        option=option,
        quote_option_id=option.id,
        origin_hub=origin_hub,
        tracking_number=tracking_number,
        customs=customs,
        booked_at=now,
        updated_at=now,
    )


def cancel(shipment: Shipment, now: datetime) -> Shipment:
    """The shipment cancelled, or Conflict explaining why it is too late."""
    if not can_cancel(shipment.status):
        if shipment.status is ShipmentStatus.CANCELLED:
            reason = "the shipment is already cancelled"
        else:
            reason = (
                f"the shipment is {shipment.status.value}: it was handed over to the network "
                "and can no longer be cancelled"
            )
        raise Conflict(reason, field="status")
    return replace(
        shipment,
        status=transition(shipment.status, ShipmentStatus.CANCELLED),
        cancelled_at=now,
        updated_at=now,
    )


def sort_code(shipment: Shipment) -> str:
    """Destination sort code printed on the label: last hub, country, postal district.

    For example LGG-FR-75 for a parcel to Paris 75001 over Liège.
    """
    legs = shipment.option.legs if shipment.option else ()
    hub = legs[-1].destination if legs else (shipment.origin_hub or "XXX")
    postal = "".join(ch for ch in shipment.request.recipient.postal_code if ch.isalnum())
    return f"{hub}-{shipment.destination_country}-{postal[:2].upper()}"

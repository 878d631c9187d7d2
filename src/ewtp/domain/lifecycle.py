"""The shipment lifecycle, shared by the merchant API and tracking.

    draft ──► booked ──► in_transit ──► delivered ──► returned
      │         │  ▲          │   ▲          ▲
      │         │  │          ▼   │          │
      │         │  └──── exception ──────────┘
      ▼         ▼            │
    cancelled ◄──────────────┘ (only before handover)    in_transit/exception ──► returned

`cancelled` and `returned` are final. Handover is the first acceptance scan, which moves
a booked shipment to `in_transit`; from then on it can no longer be cancelled.
"""

from __future__ import annotations

import enum

from ewtp.domain.errors import Conflict

__all__ = ["ALLOWED", "ShipmentStatus", "can_cancel", "can_transition", "transition"]


class ShipmentStatus(enum.StrEnum):
    DRAFT = "draft"
    BOOKED = "booked"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"
    EXCEPTION = "exception"
    RETURNED = "returned"


S = ShipmentStatus
ALLOWED: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    S.DRAFT: frozenset({S.BOOKED, S.CANCELLED}),
    S.BOOKED: frozenset({S.IN_TRANSIT, S.CANCELLED, S.EXCEPTION}),
    S.IN_TRANSIT: frozenset({S.DELIVERED, S.EXCEPTION, S.RETURNED}),
    S.EXCEPTION: frozenset({S.IN_TRANSIT, S.DELIVERED, S.RETURNED}),
    S.DELIVERED: frozenset({S.RETURNED}),
    S.CANCELLED: frozenset(),
    S.RETURNED: frozenset(),
}


def can_transition(current: ShipmentStatus, target: ShipmentStatus) -> bool:
    return target in ALLOWED[current]


def transition(current: ShipmentStatus, target: ShipmentStatus) -> ShipmentStatus:
    """The new status, or Conflict saying why the move is impossible."""
    if not can_transition(current, target):
        allowed = ", ".join(sorted(s.value for s in ALLOWED[current])) or "nothing (final)"
        raise Conflict(
            f"a {current.value} shipment cannot become {target.value}; allowed: {allowed}",
            field="status",
        )
    return target


def can_cancel(current: ShipmentStatus) -> bool:
    """Cancelling is allowed until handover to the network."""
    return can_transition(current, S.CANCELLED)

"""Display names of statuses and scan milestones, translated once per lookup.

Kept in Python rather than as template dictionaries, so a list of fifty shipments looks
up fifty names instead of building a translated table for every row.
"""

from __future__ import annotations

from ewtp.web.i18n import gettext
from ewtp.web.known_messages import N_

__all__ = ["milestone_label", "service_label", "status_label"]

STATUSES = {
    "draft": N_("Draft"),
    "booked": N_("Booked"),
    "in_transit": N_("In transit"),
    "delivered": N_("Delivered"),
    "cancelled": N_("Cancelled"),
    "exception": N_("Exception"),
    "returned": N_("Returned"),
}
MILESTONES = {
    "info_received": N_("Shipment information received"),
    "accepted": N_("Accepted by the network"),
    "departed": N_("Departed"),
    "arrived": N_("Arrived"),
    "customs_hold": N_("Held by customs"),
    "customs_released": N_("Released by customs"),
    "out_for_delivery": N_("Out for delivery"),
    "delivery_failed": N_("Delivery attempt failed"),
    "delivered": N_("Delivered"),
    "exception": N_("Delayed"),
    "returned": N_("Returned to sender"),
}
SERVICES = {"express": N_("Express"), "standard": N_("Standard"), "economy": N_("Economy")}


def status_label(value: str) -> str:
    return gettext(STATUSES.get(value, value))


def milestone_label(value: str) -> str:
    return gettext(MILESTONES.get(value, value))


def service_label(value: str) -> str:
    return gettext(SERVICES.get(value, value))

"""Sanity checks on scans before they are stored: where, when, and on what parcel.

- The hub must be a hub of the network, or, for a final-mile scan (out for delivery,
  delivery failed, delivered), the parcel's destination country: the last mile is run by
  national carriers that have no hub code of ours.
- A scan more than `EWTP_SCAN_MAX_FUTURE_MINUTES` ahead of the clock is refused: scanner
  clocks drift a little, but a scan from next June would move the public ETA to June.
- A scan on a cancelled parcel is refused: a void parcel has no journey.
- A scan before the booking is stored (the label may have been printed from a pre-advice)
  but flagged `before_booking`.
Refusals are per-event rejections with a reason code, like any invalid field.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.tracking.timeline import Milestone, ScanEvent
from ewtp.services.tracking.ports import ScanFacts

__all__ = ["FINAL_MILE", "ScanChecks", "ScanFlag", "ScanVerdict", "judge_scan"]

FINAL_MILE = frozenset({Milestone.OUT_FOR_DELIVERY, Milestone.DELIVERY_FAILED, Milestone.DELIVERED})


@dataclass(frozen=True, slots=True)
class ScanChecks:
    """What a batch is checked against: the network's hub codes and the clock's slack."""

    hubs: Collection[str]
    max_future: timedelta = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class ScanFlag:
    index: int
    tracking_number: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ScanVerdict:
    """A refusal (`field`, `code`, `reason`), or None when the scan may be stored."""

    field: str
    code: str
    reason: str


def judge_scan(
    event: ScanEvent, facts: ScanFacts | None, checks: ScanChecks, now: datetime
) -> tuple[ScanVerdict | None, str | None]:
    """(refusal or None, flag code or None) for one scan of a known or unknown parcel."""
    if event.occurred_at > now + checks.max_future:
        minutes = int(checks.max_future.total_seconds() // 60)
        return ScanVerdict(
            "occurred_at",
            "in_future",
            f"in_future: {event.occurred_at.isoformat()} is more than {minutes} minutes "
            "ahead of the server clock",
        ), None
    if facts is not None and facts.status is ShipmentStatus.CANCELLED:
        return ScanVerdict(
            "tracking_number", "cancelled", "cancelled: the shipment was cancelled"
        ), None
    if checks.hubs and event.hub not in checks.hubs:
        country = facts.destination_country if facts is not None else None
        if not (event.milestone in FINAL_MILE and country and event.hub == country):
            where = (
                f"a hub of the network or, for a final-mile scan, the destination country {country}"
                if country
                else "a hub of the network"
            )
            return ScanVerdict(
                "hub", "unknown_hub", f"unknown_hub: {event.hub} is not {where}"
            ), None
    if facts is not None and facts.booked_at is not None and event.occurred_at < facts.booked_at:
        return None, "before_booking"
    return None, None

"""Use case: decide where scanned parcels go, and log every answer.

A batch is answered in order. An unknown or badly check-digited tracking number is a
per-scan `unknown` answer, never a failure of the batch; a naive time or an empty or
oversized batch fails the whole batch, and nothing is logged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ewtp.domain.errors import InvalidInput, TooLarge
from ewtp.domain.hub import Parcel, ParcelState, SortDecision
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.network.model import Zone
from ewtp.domain.s10 import S10_PATTERN, is_valid_s10
from ewtp.services.hub.context import (
    SortContext,
    current_network,
    local_day,
    require_hub,
    sort_context,
)
from ewtp.services.hub.ports import AbstractDecisionSink, HubUnitOfWork, ParcelRecord

__all__ = ["MAX_SCANS", "Scan", "decide_sorts", "normalize_number", "parcel_of"]

MAX_SCANS = 10_000
_CLOSED = {
    ShipmentStatus.DELIVERED.value,
    ShipmentStatus.RETURNED.value,
    ShipmentStatus.DRAFT.value,
}


@dataclass(frozen=True, slots=True)
class Scan:
    tracking_number: str
    scanned_at: datetime


def normalize_number(raw: str) -> str | None:
    """The S10 number, or None when it is not one (format or check digit)."""
    number = raw.strip().upper().replace(" ", "")
    return number if S10_PATTERN.match(number) and is_valid_s10(number) else None


def parcel_of(
    record: ParcelRecord | None, number: str, hub: str, zones: Mapping[str, Zone]
) -> Parcel:
    """The domain's view of a stored parcel at `hub`."""
    if record is None:
        return Parcel.unknown(number)
    if record.status == ShipmentStatus.CANCELLED.value:
        state = ParcelState.CANCELLED
    elif record.status in _CLOSED:
        state = ParcelState.CLOSED
    elif record.latest_milestone == "customs_hold":
        state = ParcelState.CUSTOMS_HOLD
    else:
        state = ParcelState.ACTIVE
    zone = zones.get(record.destination_country or "")
    leg = next((leg for leg in record.legs if leg.origin == hub), None)
    return Parcel(
        tracking_number=number,
        state=state,
        target_hub=zone.hub if zone else "",
        last_mile=timedelta(seconds=int(zone.last_mile_hours * 3600)) if zone else timedelta(0),
        promised_by=record.promised_by,
        booked_service_id=leg.service_id if leg else None,
        booked_departure_utc=leg.departure_utc if leg else None,
        screening_flag=record.screening_flag,
    )


def _check(scans: Sequence[Scan]) -> None:
    if not scans:
        raise InvalidInput(f"must hold 1 to {MAX_SCANS} scans", field="scans")
    if len(scans) > MAX_SCANS:
        raise TooLarge(f"at most {MAX_SCANS} scans a request, not {len(scans)}", field="scans")
    for i, scan in enumerate(scans):
        moment = scan.scanned_at
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise InvalidInput(
                "needs a time zone offset such as +01:00 or Z", field=f"scans[{i}].scanned_at"
            )


def decide_sorts(
    uow: HubUnitOfWork,
    hub: str,
    scans: Sequence[Scan],
    requested_by: str | None,
    now: datetime,
    *,
    log: bool = True,
    sink: AbstractDecisionSink | None = None,
) -> list[SortDecision]:
    """One decision per scan, in order; all of them logged in one transaction (the
    caller's `sink` when given, else the unit of work's) before they are returned."""
    _check(scans)
    net = current_network(uow)
    code = require_hub(net, hub)
    numbers = [normalize_number(s.tracking_number) for s in scans]
    contexts: dict[object, SortContext] = {}
    days = defaultdict(list)
    for i, scan in enumerate(scans):
        days[local_day(net, code, scan.scanned_at)].append(i)
    for day in days:
        contexts[day] = sort_context(uow, code, day)
    with uow:
        records = uow.parcels.find(sorted({n for n in numbers if n is not None}))
        out: list[SortDecision] = [None] * len(scans)  # type: ignore[list-item]
        for day, indices in days.items():
            context = contexts[day]
            for i in indices:
                number = numbers[i]
                raw = scans[i].tracking_number.strip()
                parcel = (
                    parcel_of(records.get(number), number, code, context.zones)
                    if number is not None
                    else Parcel.unknown(raw[:40])
                )
                out[i] = context.sorter(parcel, scans[i].scanned_at.astimezone(UTC))
        if log and sink is None:
            uow.decisions.add(code, out, requested_by, now)
            uow.commit()
    if log and sink is not None:
        sink.store(code, out, requested_by, now)
    return out

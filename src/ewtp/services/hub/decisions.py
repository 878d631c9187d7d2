"""Use case: decide where scanned parcels go, and log every answer.

A batch is answered in order. An unknown or badly check-digited tracking number is a
per-scan `unknown` answer, never a failure of the batch; a naive time or an empty or
oversized batch fails the whole batch, and nothing is logged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ewtp.domain.errors import InvalidInput, TooLarge
from ewtp.domain.hub import Parcel, ParcelState, SortDecision
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.network.model import Zone
from ewtp.domain.s10 import S10_PATTERN
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
_CLEAN = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}\Z")
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
    """The S10 number, or None when it is not one (format or check digit).

    The same answer as `domain.s10.is_valid_s10` on ASCII (a test checks it), unrolled:
    files of a million scans spend most of their validation time here.
    """
    number = raw if _CLEAN.match(raw) else raw.strip().upper().replace(" ", "")
    if not (number.isascii() and S10_PATTERN.match(number)):
        return None  # the pattern's digit class would also take other scripts' digits
    o = 48 * 44  # ord("0") times the sum of the weights 8 6 4 2 3 5 9 7
    total = (
        8 * ord(number[2]) + 6 * ord(number[3]) + 4 * ord(number[4]) + 2 * ord(number[5])
        + 3 * ord(number[6]) + 5 * ord(number[7]) + 9 * ord(number[8]) + 7 * ord(number[9])
        - o
    )  # fmt: skip
    check = 11 - total % 11
    check = 0 if check == 10 else 5 if check == 11 else check
    return number if ord(number[10]) - 48 == check else None


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

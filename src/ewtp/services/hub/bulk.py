"""Use case: decide a whole file of scans (replays, tests, simulation input).

Parcels come from storage in chunks, or from the file itself when it carries the
parcel facts (destination, booked leg, state), as a simulation's input does. Logging
to the decision log is optional here: replays should not pollute the live log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import Parcel, ParcelState, SortDecision
from ewtp.domain.network.model import Zone
from ewtp.services.hub.context import (
    SortContext,
    current_network,
    local_day,
    require_hub,
    sort_context,
)
from ewtp.services.hub.decisions import Scan, normalize_number, parcel_of
from ewtp.services.hub.inbound import local_day_bounds
from ewtp.services.hub.ports import HubUnitOfWork

__all__ = ["CHUNK", "ParcelFacts", "decide_scans", "destination_target", "parcel_from_facts"]

CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class ParcelFacts:
    """A parcel described by the file: `destination` is a zone country or a hub code."""

    destination: str
    state: ParcelState = ParcelState.ACTIVE
    promised_by: datetime | None = None
    booked_service_id: str | None = None
    booked_departure_utc: datetime | None = None
    screening_flag: bool = False


def destination_target(
    destination: str, zones: Mapping[str, Zone], hubs: set[str]
) -> tuple[str, timedelta]:
    """(target hub, last mile) of a zone country or a hub code; ("", 0) when neither."""
    zone = zones.get(destination)
    if zone is not None:
        return zone.hub, timedelta(seconds=int(zone.last_mile_hours * 3600))
    if destination in hubs:
        return destination, timedelta(0)
    return "", timedelta(0)


def parcel_from_facts(
    number: str,
    facts: ParcelFacts,
    zones: Mapping[str, Zone],
    hubs: set[str],
    targets: dict[str, tuple[str, timedelta]] | None = None,
) -> Parcel:
    """The parcel a file row describes; `targets` caches `destination_target`."""
    found = targets.get(facts.destination) if targets is not None else None
    if found is None:
        found = destination_target(facts.destination, zones, hubs)
        if targets is not None:
            targets[facts.destination] = found
    target, last_mile = found
    return Parcel(
        number,
        facts.state,
        target,
        last_mile,
        facts.promised_by,
        facts.booked_service_id,
        facts.booked_departure_utc,
        facts.screening_flag,
    )


def decide_scans(
    uow: HubUnitOfWork,
    hub: str,
    scans: Sequence[Scan],
    facts: Sequence[ParcelFacts] | None = None,
    *,
    now: datetime,
    log: bool = False,
    requested_by: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> list[SortDecision]:
    """One decision per scan, in order; with `log`, stored in one transaction at the end."""
    if facts is not None and len(facts) != len(scans):
        raise InvalidInput("needs one set of parcel facts per scan", field="facts")
    net = current_network(uow)
    code = require_hub(net, hub)
    hubs = set(net.hubs)
    timezone = net.hubs[code].timezone
    contexts: dict[object, SortContext] = {}
    out: list[SortDecision] = []
    # The local day of the previous scan and its UTC bounds: files come in time order,
    # so most scans skip the time-zone conversion.
    day_start = day_end = datetime.min.replace(tzinfo=UTC)
    context: SortContext | None = None
    targets: dict[str, tuple[str, timedelta]] = {}
    for start in range(0, len(scans), CHUNK):
        chunk = scans[start : start + CHUNK]
        numbers = [normalize_number(s.tracking_number) for s in chunk]
        records = {}
        if facts is None:
            with uow:
                records = uow.parcels.find(sorted({n for n in numbers if n is not None}))
        for j, scan in enumerate(chunk):
            moment = scan.scanned_at
            if context is None or not day_start <= moment < day_end:
                moment = moment.astimezone(UTC)
                day = local_day(net, code, moment)
                day_start, day_end = local_day_bounds(timezone, day)
                context = contexts.get(day)
                if context is None:
                    context = contexts[day] = sort_context(uow, code, day)
            number = numbers[j]
            if number is None:
                parcel = Parcel.unknown(scan.tracking_number.strip()[:40])
            elif facts is not None:
                parcel = parcel_from_facts(number, facts[start + j], context.zones, hubs, targets)
            else:
                parcel = parcel_of(records.get(number), number, code, context.zones)
            out.append(context.sorter(parcel, moment))
        if on_progress is not None:
            on_progress(len(chunk))
    if log and out:
        with uow:
            uow.decisions.add(code, out, requested_by, now)
            uow.commit()
    return out

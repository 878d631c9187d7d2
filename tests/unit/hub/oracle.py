"""An independent earliest-arrival scan over exported connection rows (ISO strings).

It knows nothing of `DepartureTable`: a plain Connection Scan from each candidate first
departure, with each hub's minimum connection time read from the network's hub rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Conn:
    service_id: str
    origin: str
    destination: str
    dep: datetime
    arr: datetime


def parse_rows(rows: Sequence[Mapping[str, Any]]) -> list[Conn]:
    def at(raw: str) -> datetime:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))

    conns = [
        Conn(
            r["service_id"],
            r["origin"],
            r["destination"],
            at(r["departure_utc"]),
            at(r["arrival_utc"]),
        )
        for r in rows
    ]
    conns.sort(key=lambda c: c.dep)
    return conns


def earliest_from(
    conns: Sequence[Conn], first: Conn, target: str, mct: Mapping[str, int]
) -> datetime | None:
    """Earliest arrival at `target` for a parcel that takes `first` and then any chain."""
    arrival: dict[str, datetime] = {first.destination: first.arr}
    for c in conns:
        if c.dep <= first.dep:
            continue
        here = arrival.get(c.origin)
        if here is None or here + timedelta(minutes=mct[c.origin]) > c.dep:
            continue
        if c.arr < arrival.get(c.destination, datetime.max.replace(tzinfo=c.arr.tzinfo)):
            arrival[c.destination] = c.arr
    return arrival.get(target)


def best_departure(
    conns: Sequence[Conn],
    hub: str,
    target: str,
    ready: datetime,
    loading: timedelta,
    mct: Mapping[str, int],
) -> tuple[Conn, datetime] | None:
    """The first leg with cut-off >= ready reaching `target` earliest; on a tie the latest
    departure (then the greatest service id)."""
    found: tuple[Conn, datetime] | None = None
    for c in conns:
        if c.origin != hub or c.dep - loading < ready:
            continue
        a = earliest_from(conns, c, target, mct)
        if a is None:
            continue
        if (
            found is None
            or a < found[1]
            or (a == found[1] and (c.dep, c.service_id) > (found[0].dep, found[0].service_id))
        ):
            found = (c, a)
    return found

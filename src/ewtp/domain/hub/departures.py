"""Departures from one hub with their earliest arrival at every other hub, precomputed.

For each departure k from the hub and each target hub t, `EA[t][k]` is the earliest
arrival at t of a parcel that leaves on k and continues on the best connections (each
onward transfer respects that hub's minimum connection time; the search is the exact
time-dependent Dijkstra of `domain/network/timetable.py`). With departures sorted by cut-off,
a suffix minimum answers "the departure with cut-off >= ready that reaches t earliest"
with one bisection, so a sort decision never runs a route search. On a tie the latest
of the equally fast departures wins: the parcel waits in its chute rather than taking a
detour (say a truck to Paris and back) that only catches the same final leg.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from ewtp.domain.network.model import Connection
from ewtp.domain.network.timetable import INF, Timetable

__all__ = ["Departure", "DepartureFinder", "DepartureTable", "Onward"]


@dataclass(frozen=True, slots=True)
class Departure:
    """One outbound departure of the hub; parcels must be in its chute by `cutoff_utc`."""

    service_id: str
    destination: str
    departure_utc: datetime
    cutoff_utc: datetime


@dataclass(frozen=True, slots=True)
class Onward:
    """A departure and when a parcel on it reaches the target hub at the earliest."""

    departure: Departure
    arrival_utc: datetime


class DepartureFinder(Protocol):
    """What `decide` needs from the route engine; `DepartureTable` is the fast one."""

    def earliest(self, target: str, ready: datetime) -> Onward | None:
        """The departure with cut-off >= `ready` reaching `target` earliest, if any
        (the latest of equally fast ones)."""
        ...

    def via(self, target: str, service_id: str, departure_utc: datetime) -> Onward | None:
        """That departure with its earliest arrival at `target`; None if unknown or
        if `target` cannot be reached on it."""
        ...


class DepartureTable:
    """A `DepartureFinder` over a fixed window of connections (build once per day)."""

    def __init__(
        self,
        connections: Sequence[Connection],
        min_connection_minutes: Mapping[str, int],
        hub: str,
        loading: timedelta,
    ) -> None:
        table = Timetable(connections, dict(min_connection_minutes))
        self.hub = hub
        origin = table.index[hub]
        ks = [k for k in range(len(table.connections)) if table.frm[k] == origin]
        load = int(loading.total_seconds())
        ks.sort(key=lambda k: (table.dep[k], table.connections[k].service_id))
        self.departures: tuple[Departure, ...] = tuple(
            Departure(
                service_id=table.connections[k].service_id,
                destination=table.connections[k].destination,
                departure_utc=table.connections[k].departure_utc,
                cutoff_utc=table.connections[k].departure_utc - loading,
            )
            for k in ks
        )
        self._cutoffs = [table.dep[k] - load for k in ks]
        self._position = {(d.service_id, d.departure_utc): i for i, d in enumerate(self.departures)}
        n = len(ks)
        arrivals: list[list[int]] = [[INF] * n for _ in table.codes]
        for i, k in enumerate(ks):
            v = table.to[k]
            best, _via = table.earliest_arrival(v, table.arr[k] + table.mct[v])
            for t, a in enumerate(best):
                arrivals[t][i] = a
            arrivals[v][i] = table.arr[k]
        self._targets = {code: t for t, code in enumerate(table.codes)}
        self._arrivals = arrivals
        self._best = [_suffix_best(arr) for arr in arrivals]
        self._onward: dict[tuple[int, int], Onward] = {}

    def _at(self, t: int, i: int) -> Onward | None:
        a = self._arrivals[t][i]
        if a >= INF:
            return None
        found = self._onward.get((t, i))
        if found is None:
            found = Onward(self.departures[i], datetime.fromtimestamp(a, UTC))
            self._onward[(t, i)] = found
        return found

    def earliest(self, target: str, ready: datetime) -> Onward | None:
        t = self._targets.get(target)
        if t is None:
            return None
        i = bisect_left(self._cutoffs, ready.timestamp())
        if i == len(self._cutoffs):
            return None
        return self._at(t, self._best[t][i])

    def served(self, departure: Departure) -> tuple[str, ...]:
        """Target hubs this departure is the best first leg for, when a parcel is in its
        chute just at its cut-off: the destinations it serves in the sort plan."""
        i = self._position[(departure.service_id, departure.departure_utc)]
        return tuple(
            code
            for code, t in self._targets.items()
            if code != self.hub and self._arrivals[t][i] < INF and self._best[t][i] == i
        )

    def via(self, target: str, service_id: str, departure_utc: datetime) -> Onward | None:
        t = self._targets.get(target)
        i = self._position.get((service_id, departure_utc))
        if t is None or i is None:
            return None
        return self._at(t, i)


def _suffix_best(arrivals: list[int]) -> list[int]:
    """best[i] = the j >= i with the least arrival, the largest j on a tie."""
    n = len(arrivals)
    best = [0] * n
    j = n - 1
    for i in range(n - 1, -1, -1):
        if arrivals[i] < arrivals[j]:
            j = i
        best[i] = j
    return best

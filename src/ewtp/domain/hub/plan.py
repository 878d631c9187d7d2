"""The sort plan: each departure's chutes, cut-off and destinations, and the special chutes.

A departure holds its chutes from `opens` (cut-off minus the chute open time) until it
leaves. Each outbound service has home chutes (services in order of their first
departure, `chutes_per_departure` each, while the outbound chutes last), so a lane keeps
its chutes day after day. When a departure's home chutes are busy it takes the lowest
free ones; when too few are free it shares the chutes of an open departure to the same
next hub (merged); failing that it takes what is free, and with nothing free it is
unplaced. Merged, short and unplaced departures are listed by the plan.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from ewtp.domain.hub.departures import Departure
from ewtp.domain.hub.model import CHUTE_RESOURCES, HubModel, Resource

__all__ = [
    "PlannedDeparture",
    "SortPlan",
    "SpecialChutes",
    "build_sort_plan",
    "departure_key",
    "special_chutes",
]


def departure_key(departure: Departure) -> str:
    """How a plan names a departure: `RD-LGG-FRA-13@2026-11-11T12:00:00Z`."""
    return f"{departure.service_id}@{departure.departure_utc.strftime('%Y-%m-%dT%H:%M:%SZ')}"


@dataclass(frozen=True, slots=True)
class PlannedDeparture:
    departure: Departure
    opens_utc: datetime
    chutes: tuple[str, ...]
    serves: tuple[str, ...]  # destination hubs and countries reached best on it
    merged_with: str | None = None  # the departure whose chutes it shares
    short: bool = False  # got fewer chutes than chutes_per_departure

    @property
    def placed(self) -> bool:
        return bool(self.chutes)


@dataclass(frozen=True, slots=True)
class SpecialChutes:
    inspection: tuple[str, ...]
    reject: tuple[str, ...]
    hold: tuple[str, ...]
    delivery: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class SortPlan:
    """The plan of the departures in a window; `day` is the local day it was asked for."""

    hub: HubModel
    day: date
    departures: tuple[PlannedDeparture, ...]
    special: SpecialChutes
    outbound_chutes: int
    _index: dict[tuple[str, datetime], PlannedDeparture] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index = {(p.departure.service_id, p.departure.departure_utc): p for p in self.departures}
        object.__setattr__(self, "_index", index)

    def planned(self, departure: Departure) -> PlannedDeparture | None:
        return self._index.get((departure.service_id, departure.departure_utc))

    @property
    def merged(self) -> tuple[str, ...]:
        return tuple(departure_key(p.departure) for p in self.departures if p.merged_with)

    @property
    def unplaced(self) -> tuple[str, ...]:
        return tuple(departure_key(p.departure) for p in self.departures if not p.placed)

    @property
    def short(self) -> tuple[str, ...]:
        return tuple(departure_key(p.departure) for p in self.departures if p.short)

    def on_day(
        self, day: date, local_date: Callable[[datetime], date]
    ) -> tuple[PlannedDeparture, ...]:
        """The departures leaving on the hub's local date `day`."""
        return tuple(p for p in self.departures if local_date(p.departure.departure_utc) == day)


def special_chutes(model: HubModel) -> SpecialChutes:
    """Special chutes are numbered after the outbound ones, in `CHUTE_RESOURCES` order."""
    n = model.count(Resource.OUTBOUND_CHUTE)
    out: dict[Resource, tuple[str, ...]] = {}
    for resource in CHUTE_RESOURCES:
        count = model.count(resource)
        out[resource] = tuple(_chute(n + j + 1) for j in range(count))
        n += count
    return SpecialChutes(
        inspection=out[Resource.INSPECTION_CHUTE],
        reject=out[Resource.REJECT_CHUTE],
        hold=out[Resource.HOLD_CHUTE],
        delivery=out[Resource.DELIVERY_CHUTE],
    )


def _chute(number: int) -> str:
    return f"C{number:03d}"


def build_sort_plan(
    model: HubModel,
    day: date,
    departures: Sequence[Departure],
    serves: Mapping[Departure, tuple[str, ...]],
    lanes: Sequence[str] = (),
) -> SortPlan:
    """Assign chutes to every departure of the window (see the module docstring).

    `lanes` are the hub's outbound service ids; each gets home chutes in that order
    (give every service of the network, so homes do not depend on the window).
    """
    total = model.count(Resource.OUTBOUND_CHUTE)
    per = model.parameters.chutes_per_departure
    open_for = timedelta(minutes=model.times.chute_open_minutes)
    home = _home_chutes(lanes or sorted({d.service_id for d in departures}), total, per)
    order = sorted(
        departures, key=lambda d: (d.cutoff_utc - open_for, d.departure_utc, d.service_id)
    )
    free = set(range(1, total + 1))
    busy: list[tuple[datetime, int]] = []  # (release time, chute number)
    active: list[PlannedDeparture] = []
    planned: list[PlannedDeparture] = []
    for dep in order:
        opens = dep.cutoff_utc - open_for
        while busy and busy[0][0] <= opens:
            free.add(heapq.heappop(busy)[1])
        active = [p for p in active if p.departure.departure_utc > opens]
        wanted = home.get(dep.service_id, ())
        home_free = bool(wanted) and all(c in free for c in wanted)
        taken = list(wanted) if home_free else sorted(free)[:per]
        if len(taken) < per:
            mate = next((p for p in active if p.departure.destination == dep.destination), None)
            if mate is not None:
                planned_dep = PlannedDeparture(
                    dep, opens, mate.chutes, serves.get(dep, ()), departure_key(mate.departure)
                )
                planned.append(planned_dep)
                continue
        for c in taken:
            free.discard(c)
            heapq.heappush(busy, (dep.departure_utc, c))
        planned_dep = PlannedDeparture(
            dep,
            opens,
            tuple(_chute(c) for c in taken),
            serves.get(dep, ()),
            short=0 < len(taken) < per,
        )
        planned.append(planned_dep)
        active.append(planned_dep)
    planned.sort(key=lambda p: (p.departure.departure_utc, p.departure.service_id))
    return SortPlan(model, day, tuple(planned), special_chutes(model), total)


def _home_chutes(lanes: Sequence[str], total: int, per: int) -> dict[str, tuple[int, ...]]:
    """Consecutive blocks of `per` chutes for the lanes, while the chutes last."""
    out: dict[str, tuple[int, ...]] = {}
    for n, service in enumerate(lanes):
        block = tuple(range(n * per + 1, n * per + per + 1))
        if block[-1] > total:
            break
        out[service] = block
    return out

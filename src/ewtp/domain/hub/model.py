"""The hub model: resources, times, shifts and the inspection rate of one hub.

A parcel's way through a hub, and the times that fix its processing time:

    arrived scan ─► ULD breakdown ─► induction (one operator) ─► sorter transit ─► chute
                    uld_breakdown     3600 / induction rate       sorter_transit
    chute ─► truck loading ─► departure        (cut-off = departure - truck_loading)

A parcel scanned at `t` makes a departure when `t + processing <= cut-off`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

__all__ = [
    "CHUTE_RESOURCES",
    "HubModel",
    "HubParameters",
    "HubTimes",
    "Resource",
    "ResourceRow",
    "Shift",
]


class Resource(enum.StrEnum):
    """The kinds of resources a hub has; anything else in a model file is an error."""

    ULD_BREAKDOWN_STATION = "uld_breakdown_station"
    INDUCTION_STATION = "induction_station"
    SORTER = "sorter"
    OUTBOUND_CHUTE = "outbound_chute"
    INSPECTION_CHUTE = "inspection_chute"
    REJECT_CHUTE = "reject_chute"
    HOLD_CHUTE = "hold_chute"
    DELIVERY_CHUTE = "delivery_chute"
    INSPECTION_LANE = "inspection_lane"
    TRUCK_DOCK = "truck_dock"


#: Chutes that are not given to departures: the special chutes of the sort plan.
CHUTE_RESOURCES = (
    Resource.INSPECTION_CHUTE,
    Resource.REJECT_CHUTE,
    Resource.HOLD_CHUTE,
    Resource.DELIVERY_CHUTE,
)


@dataclass(frozen=True, slots=True)
class ResourceRow:
    resource: Resource
    count: int
    rate_per_hour: int | None  # rated items an hour (sorters), else None
    source: str


@dataclass(frozen=True, slots=True)
class HubTimes:
    uld_breakdown_minutes: int
    induction_rate_per_operator: int  # items an hour one operator inducts
    sorter_transit_minutes: int
    truck_loading_minutes: int
    inspection_minutes: int
    chute_open_minutes: int  # how long before its cut-off a departure's chutes open

    @property
    def induction_seconds(self) -> int:
        """One item at one operator's rate, rounded up to the second."""
        return -(-3600 // self.induction_rate_per_operator)

    @property
    def processing(self) -> timedelta:
        """Scan to chute: breakdown, induction of the item, sorter transit."""
        return timedelta(
            minutes=self.uld_breakdown_minutes + self.sorter_transit_minutes,
            seconds=self.induction_seconds,
        )

    @property
    def loading(self) -> timedelta:
        return timedelta(minutes=self.truck_loading_minutes)

    @property
    def inspection(self) -> timedelta:
        return timedelta(minutes=self.inspection_minutes)


@dataclass(frozen=True, slots=True)
class HubParameters:
    inspection_selection_rate: Decimal  # share of parcels selected for a physical check
    chutes_per_departure: int
    reroute_horizon_hours: int
    uld_kg: Decimal
    uld_m3: Decimal


@dataclass(frozen=True, slots=True)
class Shift:
    """Staffed stations of one resource from `start` to `end` (minutes of the local day).

    `end <= start` wraps past midnight (22:00-06:00).
    """

    name: str
    resource: Resource
    start_minute: int
    end_minute: int
    staffed: int

    def minutes(self) -> set[int]:
        """The minutes of the day the shift covers."""
        if self.end_minute > self.start_minute:
            return set(range(self.start_minute, self.end_minute))
        return set(range(self.start_minute, 1440)) | set(range(0, self.end_minute))

    def covers_hour(self, hour: int) -> bool:
        return hour * 60 in self.minutes()


@dataclass(frozen=True, slots=True)
class HubModel:
    """One hub as it stands on `on`; every figure from a dated, sourced row."""

    code: str
    name: str
    on: date
    resources: tuple[ResourceRow, ...]
    times: HubTimes
    parameters: HubParameters
    shifts: tuple[Shift, ...]
    source: str = ""

    def count(self, resource: Resource) -> int:
        return sum(r.count for r in self.resources if r.resource is resource)

    @property
    def processing(self) -> timedelta:
        return self.times.processing

    @property
    def loading(self) -> timedelta:
        return self.times.loading

    def sorter_rate_per_hour(self) -> int:
        """Rated items an hour over all sorters."""
        return sum(
            r.count * (r.rate_per_hour or 0)
            for r in self.resources
            if r.resource is Resource.SORTER
        )

    def staffed(self, resource: Resource, hour: int) -> int:
        """Staffed stations of `resource` in the local hour `hour` (0-23)."""
        return sum(s.staffed for s in self.shifts if s.resource is resource and s.covers_hour(hour))

    def induction_rate(self, hour: int) -> int:
        """Items an hour the staffed induction stations take, capped by the sorters."""
        staffed = min(
            self.staffed(Resource.INDUCTION_STATION, hour), self.count(Resource.INDUCTION_STATION)
        )
        return min(staffed * self.times.induction_rate_per_operator, self.sorter_rate_per_hour())

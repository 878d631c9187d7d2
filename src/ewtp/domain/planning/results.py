"""A capacity plan as data a page or a file can render: loads, outcomes, bottlenecks, proof.

Figures are floats because they come out of the LP; they are rounded once, in `to_json`
(kg and parcels to 3 decimals, money to cents, shadow prices to 4 decimals).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = [
    "Bottleneck",
    "CandidateDecision",
    "CommodityOutcome",
    "DepartureLoad",
    "Plan",
    "PlanTotals",
    "Proof",
]


def _t(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class DepartureLoad:
    """One departure's load; `shadow_kg` is what one more kg of capacity would save (EUR)."""

    id: str
    service_id: str
    mode: str
    origin: str
    destination: str
    departure_utc: datetime
    arrival_utc: datetime
    capacity_kg: float
    capacity_m3: float
    kg: float
    m3: float
    load_factor: float
    shadow_kg: float
    shadow_m3: float
    candidate: bool = False
    open: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "service_id": self.service_id, "mode": self.mode,
            "origin": self.origin, "destination": self.destination,
            "departure_utc": _t(self.departure_utc), "arrival_utc": _t(self.arrival_utc),
            "capacity_kg": round(self.capacity_kg, 3), "capacity_m3": round(self.capacity_m3, 3),
            "kg": round(self.kg, 3), "m3": round(self.m3, 3),
            "load_factor": round(self.load_factor, 4),
            "shadow_kg": round(self.shadow_kg, 4), "shadow_m3": round(self.shadow_m3, 4),
            "candidate": self.candidate, "open": self.open,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class CommodityOutcome:
    """Parcels of one commodity on time, late (with parcel-hours) and unserved."""

    key: str
    hub: str
    zones: tuple[str, ...]
    deadline_utc: datetime
    kg_per_parcel: float
    m3_per_parcel: float
    parcels: float
    on_time: float
    late: float
    late_hours: float
    max_late_hours: float
    unserved: float

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "hub": self.hub, "zones": list(self.zones),
            "deadline_utc": _t(self.deadline_utc),
            "kg_per_parcel": self.kg_per_parcel, "m3_per_parcel": self.m3_per_parcel,
            "parcels": round(self.parcels, 3), "on_time": round(self.on_time, 3),
            "late": round(self.late, 3), "late_hours": round(self.late_hours, 3),
            "max_late_hours": round(self.max_late_hours, 2), "unserved": round(self.unserved, 3),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Bottleneck:
    """A lane on a day whose departures are full; `shadow_kg` sums their kg shadow prices."""

    origin: str
    destination: str
    day: date
    departures: int
    kg: float
    capacity_kg: float
    load_factor: float
    shadow_kg: float
    shadow_m3: float

    @property
    def lane(self) -> str:
        return f"{self.origin}-{self.destination}"

    def to_json(self) -> dict[str, Any]:
        return {
            "lane": self.lane, "origin": self.origin, "destination": self.destination,
            "day": self.day.isoformat(), "departures": self.departures,
            "kg": round(self.kg, 3), "capacity_kg": round(self.capacity_kg, 3),
            "load_factor": round(self.load_factor, 4),
            "shadow_kg": round(self.shadow_kg, 4), "shadow_m3": round(self.shadow_m3, 4),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class CandidateDecision:
    """Open or not, and what opening it saves given the plan's other choices (EUR)."""

    id: str
    origin: str
    destination: str
    departure_utc: datetime
    fixed_cost: float
    open: bool
    kg: float
    saving: float

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "origin": self.origin, "destination": self.destination,
            "departure_utc": _t(self.departure_utc), "fixed_cost": round(self.fixed_cost, 2),
            "open": self.open, "kg": round(self.kg, 3), "saving": round(self.saving, 2),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Proof:
    """What the solver proved: status, objective, dual bound and the relative gap."""

    status: str
    objective: float
    dual_bound: float
    relative_gap: float
    is_mip: bool
    duals: str
    columns: int
    rows: int
    nonzeros: int

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "objective": round(self.objective, 6),
            "dual_bound": round(self.dual_bound, 6), "relative_gap": self.relative_gap,
            "is_mip": self.is_mip, "duals": self.duals, "columns": self.columns,
            "rows": self.rows, "nonzeros": self.nonzeros,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlanTotals:
    parcels: float
    on_time: float
    late: float
    unserved: float
    late_parcel_hours: float
    transport_cost: float
    late_cost: float
    unserved_cost: float
    fixed_cost: float

    @property
    def on_time_share(self) -> float:
        return self.on_time / self.parcels if self.parcels else 1.0

    def to_json(self) -> dict[str, Any]:
        return {
            "parcels": round(self.parcels, 3), "on_time": round(self.on_time, 3),
            "late": round(self.late, 3), "unserved": round(self.unserved, 3),
            "on_time_share": round(self.on_time_share, 6),
            "late_parcel_hours": round(self.late_parcel_hours, 3),
            "transport_cost": round(self.transport_cost, 2), "late_cost": round(self.late_cost, 2),
            "unserved_cost": round(self.unserved_cost, 2), "fixed_cost": round(self.fixed_cost, 2),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Plan:
    """The answer to a planner's week: per departure, per commodity, per lane, the proof."""

    week: date
    departures: tuple[DepartureLoad, ...]
    commodities: tuple[CommodityOutcome, ...]
    bottlenecks: tuple[Bottleneck, ...]
    candidates: tuple[CandidateDecision, ...]
    totals: PlanTotals
    proof: Proof

    def to_json(self) -> dict[str, Any]:
        return {
            "week": self.week.isoformat(),
            "proof": self.proof.to_json(),
            "totals": self.totals.to_json(),
            "bottlenecks": [b.to_json() for b in self.bottlenecks],
            "candidates": [c.to_json() for c in self.candidates],
            "departures": [d.to_json() for d in self.departures],
            "commodities": [c.to_json() for c in self.commodities],
        }

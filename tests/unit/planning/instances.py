"""Small random planning instances (Hypothesis) and helpers to solve them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from ewtp.adapters.highs import HighsPlanSolver
from ewtp.domain.network.model import Zone
from ewtp.domain.planning import (
    Departure,
    ForecastRow,
    PlanModel,
    PlanParameters,
    Solution,
    aggregate,
    build_model,
)

START = datetime(2026, 11, 9, tzinfo=UTC)
HUBS = ("AAA", "BBB", "CCC", "DDD")


@dataclass(frozen=True)
class Instance:
    mct: dict[str, int]
    zones: dict[str, Zone]
    departures: list[Departure]
    rows: list[ForecastRow]
    params: PlanParameters


def model_of(inst: Instance) -> PlanModel:
    commodities = aggregate(inst.rows, inst.zones)
    return build_model(START, inst.departures, inst.mct, commodities, inst.params)


def solve(inst: Instance) -> tuple[PlanModel, Solution]:
    model = model_of(inst)
    return model, HighsPlanSolver().solve(model)


def with_capacity(inst: Instance, index: int, factor: float) -> Instance:
    deps = list(inst.departures)
    d = deps[index]
    deps[index] = replace(d, capacity_kg=d.capacity_kg * factor, capacity_m3=d.capacity_m3 * factor)
    return replace(inst, departures=deps)


@st.composite
def departures(draw: st.DrawFn, n_hubs: int, candidates: int = 0) -> list[Departure]:
    n = draw(st.integers(3, 9))
    out = []
    for i in range(n + candidates):
        if out and draw(st.booleans()):  # a connection: leaves where another one lands
            prev = draw(st.sampled_from(out))
            o = prev.destination
            d = draw(st.sampled_from([h for h in HUBS[:n_hubs] if h != o]))
            dep = prev.arrival_utc + timedelta(hours=draw(st.integers(0, 6)))
        else:
            o, d = draw(
                st.lists(st.sampled_from(HUBS[:n_hubs]), min_size=2, max_size=2, unique=True)
            )
            dep = START + timedelta(hours=draw(st.integers(0, 60)))
        cand = i >= n
        out.append(
            Departure(
                id=f"D{i}", service_id=f"S{i}", mode="air", origin=o, destination=d,
                departure_utc=dep, arrival_utc=dep + timedelta(hours=draw(st.integers(1, 12))),
                capacity_kg=float(draw(st.integers(5, 120))),
                capacity_m3=draw(st.sampled_from([0.1, 0.3, 1.0, 5.0])),
                cost_per_kg=draw(st.sampled_from([0.1, 0.5, 1.2, 3.0])),
                candidate=f"C{i}" if cand else None,
                fixed_cost=float(draw(st.integers(0, 200))) if cand else 0.0,
            )
        )  # fmt: skip
    return out


@st.composite
def instances(draw: st.DrawFn, candidates: int = 0, single_row: bool = False) -> Instance:
    n_hubs = draw(st.integers(2, 4))
    hubs = HUBS[:n_hubs]
    mct = {h: draw(st.sampled_from([0, 60, 180, 300])) for h in hubs}
    zones = {
        f"Z{i}": Zone(
            f"Z{i}", draw(st.sampled_from(hubs)), Decimal(draw(st.sampled_from([0, 6, 24])))
        )
        for i in range(2)
    }
    rows = []
    for i in range(1 if single_row else draw(st.integers(1, 4))):
        parcels = Decimal(draw(st.integers(1, 60)))
        kg_each = Decimal(draw(st.sampled_from(["0.5", "1", "2"])))
        m3_each = Decimal(draw(st.sampled_from(["0.002", "0.01"])))
        rows.append(
            ForecastRow(
                i, draw(st.sampled_from(hubs)), draw(st.sampled_from(sorted(zones))),
                START + timedelta(hours=draw(st.integers(0, 40))), parcels,
                parcels * kg_each, parcels * m3_each,
            )
        )  # fmt: skip
    params = PlanParameters(
        late_per_parcel_hour=draw(st.sampled_from([0.0, 0.25, 1.0])),
        unserved_per_parcel=draw(st.sampled_from([5.0, 40.0])),
    )
    return Instance(mct, zones, draw(departures(n_hubs, candidates)), rows, params)

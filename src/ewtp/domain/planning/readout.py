"""Turn the solver's column values and row duals into a `Plan`.

Shadow prices are the negated duals of the kg and m³ rows: for a minimisation the dual of
a binding `<=` row is the objective's change per unit of right-hand side, so one more kg
on a full departure lowers the objective by `-dual` EUR.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import numpy.typing as npt

from ewtp.domain.planning.expansion import DEP, OPEN, UNSERVED, PlanModel
from ewtp.domain.planning.parameters import PlanParameters
from ewtp.domain.planning.results import (
    Bottleneck,
    CandidateDecision,
    CommodityOutcome,
    DepartureLoad,
    Plan,
    PlanTotals,
    Proof,
)

__all__ = ["Solution", "read_plan"]

_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class Solution:
    """What a solver returns: values per column, duals per row, and the bound it proved."""

    status: str
    x: npt.NDArray[np.float64]
    row_dual: npt.NDArray[np.float64]
    objective: float
    dual_bound: float
    relative_gap: float
    is_mip: bool
    duals: str
    savings: dict[int, float] = field(default_factory=dict)  # candidate column -> EUR


def read_plan(model: PlanModel, sol: Solution, params: PlanParameters, week: date) -> Plan:
    x = np.maximum(sol.x, 0.0)
    kind, k, a = model.col_kind, model.col_commodity, model.col_departure
    is_dep = kind == DEP
    xd, kd, ad = x[is_dep], k[is_dep], a[is_dep]
    n_a, n_k = len(model.departures), len(model.commodities)
    kg = np.bincount(ad, weights=xd * model.weights[kd], minlength=n_a)
    m3 = np.bincount(ad, weights=xd * model.volumes[kd], minlength=n_a)
    dual = np.append(sol.row_dual, 0.0)  # the extra 0 is the dual of "no row" (-1)
    shadow_kg = -dual[model.kg_row]
    shadow_m3 = -dual[model.m3_row]
    opened = {int(model.col_departure[c]): bool(x[c] > 0.5) for c in np.nonzero(kind == OPEN)[0]}
    loads = []
    for i, d in enumerate(model.departures):
        lf = max(kg[i] / d.capacity_kg, m3[i] / d.capacity_m3)
        loads.append(
            DepartureLoad(
                d.id, d.service_id, d.mode, d.origin, d.destination, d.departure_utc,
                d.arrival_utc, d.capacity_kg, d.capacity_m3, float(kg[i]), float(m3[i]),
                float(lf), max(0.0, float(shadow_kg[i])), max(0.0, float(shadow_m3[i])),
                d.candidate is not None, opened.get(i, True),
            )
        )  # fmt: skip

    deliver = is_dep & (model.col_head == -1)
    on = deliver & (model.col_late_hours <= 0)
    late = deliver & (model.col_late_hours > 0)
    on_time = np.bincount(k[on], weights=x[on], minlength=n_k) + np.bincount(
        np.arange(n_k), weights=model.fixed_delivered - model.fixed_late, minlength=n_k
    )
    late_n = np.bincount(k[late], weights=x[late], minlength=n_k) + model.fixed_late
    late_h = (
        np.bincount(k[late], weights=x[late] * model.col_late_hours[late], minlength=n_k)
        + model.fixed_late_hours
    )
    worst = np.zeros(n_k)
    carried = late & (x > _TOL)
    np.maximum.at(worst, k[carried], model.col_late_hours[carried])
    uns = kind == UNSERVED
    unserved = np.bincount(k[uns], weights=x[uns], minlength=n_k) + model.fixed_unserved
    outcomes = tuple(
        CommodityOutcome(
            c.key(), c.hub, c.zones, c.deadline_utc, float(c.kg_per_parcel),
            float(c.m3_per_parcel), float(c.parcels), float(on_time[i]), float(late_n[i]),
            float(late_h[i]), float(worst[i]), float(unserved[i]),
        )
        for i, c in enumerate(model.commodities)
    )  # fmt: skip

    transport = float((xd * model.weights[kd] * _costs(model)[ad]).sum())
    totals = PlanTotals(
        parcels=float(sum(o.parcels for o in outcomes)),
        on_time=float(on_time.sum()),
        late=float(late_n.sum()),
        unserved=float(unserved.sum()),
        late_parcel_hours=float(late_h.sum()),
        transport_cost=transport,
        late_cost=float(late_h.sum()) * params.late_per_parcel_hour,
        unserved_cost=float(unserved.sum()) * params.unserved_per_parcel,
        fixed_cost=float(
            sum(d.fixed_cost for i, d in enumerate(model.departures) if opened.get(i))
        ),
    )
    cands = tuple(
        CandidateDecision(
            d.candidate or d.id, d.origin, d.destination, d.departure_utc, d.fixed_cost,
            opened.get(i, False), float(kg[i]), float(sol.savings.get(i, 0.0)),
        )
        for i, d in enumerate(model.departures)
        if d.candidate is not None
    )  # fmt: skip
    proof = Proof(
        sol.status, sol.objective, sol.dual_bound, sol.relative_gap, sol.is_mip, sol.duals,
        model.num_cols, model.num_rows, int(model.row_index.size),
    )  # fmt: skip
    return Plan(week, tuple(loads), outcomes, _bottlenecks(loads, params), cands, totals, proof)


def _costs(model: PlanModel) -> npt.NDArray[np.float64]:
    return np.array([d.cost_per_kg for d in model.departures], dtype=np.float64)


def _bottlenecks(loads: list[DepartureLoad], params: PlanParameters) -> tuple[Bottleneck, ...]:
    """Lanes and days with a full departure, the most valuable extra kg first."""
    groups: dict[tuple[str, str, date], list[DepartureLoad]] = defaultdict(list)
    for d in loads:
        if d.candidate and not d.open:
            continue
        if (
            d.load_factor >= params.bottleneck_load_factor
            or d.shadow_kg > _TOL
            or d.shadow_m3 > _TOL
        ):
            groups[(d.origin, d.destination, d.departure_utc.date())].append(d)
    out = [
        Bottleneck(
            o, dst, day, len(ds), sum(d.kg for d in ds), sum(d.capacity_kg for d in ds),
            max(d.load_factor for d in ds), sum(d.shadow_kg for d in ds),
            sum(d.shadow_m3 for d in ds),
        )
        for (o, dst, day), ds in groups.items()
    ]  # fmt: skip
    out.sort(key=lambda b: (-(b.shadow_kg + b.shadow_m3), -b.load_factor, b.day, b.lane))
    return tuple(out)

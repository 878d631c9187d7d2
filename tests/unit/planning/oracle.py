"""A second, separately written model: every path enumerated, solved as an LP with scipy.

Nothing here is shared with `domain/planning/expansion.py`: per forecast row (never per
commodity), a depth-first search lists every time-feasible sequence of departures from
the row's origin to any arrival at its zone's hub (passing through it is allowed), and
one column per (row, path) and per (row, unserved) goes into `scipy.optimize.linprog`.
Candidate capacity is handled by enumerating every open/closed pattern.
"""

from __future__ import annotations

import itertools
from datetime import timedelta

import numpy as np
from scipy.optimize import linprog

from ewtp.domain.planning import PROMISES, Departure
from unit.planning.instances import START, Instance


def paths(inst: Instance, origin: str, ready_h: float, hub: str) -> list[tuple[list[int], float]]:
    """(departure indices, arrival at `hub` in hours since start) of every path."""
    out: list[tuple[list[int], float]] = []
    if origin == hub:
        out.append(([], ready_h))

    def hours(d: Departure, arrival: bool) -> float:
        moment = d.arrival_utc if arrival else d.departure_utc
        return (moment - START).total_seconds() / 3600

    def walk(at: str, earliest: float, used: list[int]) -> None:
        for i, d in enumerate(inst.departures):
            if d.origin != at or hours(d, False) < earliest or i in used:
                continue
            arrive = hours(d, True)
            chain = [*used, i]
            if d.destination == hub:
                out.append((chain, arrive))
            walk(d.destination, arrive + inst.mct[d.destination] / 60, chain)

    walk(origin, ready_h, [])
    return out


def optimum(inst: Instance, open_set: frozenset[int] | None = None) -> float:
    """The LP optimum with the candidates in `open_set` open (all when None)."""
    cols_cost: list[float] = []
    cols_row: list[int] = []
    cols_path: list[list[int]] = []
    p = inst.params
    for r, row in enumerate(inst.rows):
        if row.parcels == 0:
            continue
        zone = inst.zones[row.destination]
        ready_h = (row.ready_utc - START).total_seconds() / 3600
        due_h = ready_h + PROMISES[row.service_level] / timedelta(hours=1)
        w = float(row.kg / row.parcels)
        for chain, arrive in paths(inst, row.origin, ready_h, zone.hub):
            if any(
                inst.departures[i].candidate is not None
                and (open_set is not None and i not in open_set)
                for i in chain
            ):
                continue
            late = max(0.0, arrive + float(zone.last_mile_hours) - due_h)
            transport = sum(w * inst.departures[i].cost_per_kg for i in chain)
            cols_cost.append(transport + p.late_per_parcel_hour * late)
            cols_row.append(r)
            cols_path.append(chain)
        cols_cost.append(p.unserved_per_parcel)
        cols_row.append(r)
        cols_path.append([])  # unserved: uses no departure
    n = len(cols_cost)
    rows_idx = sorted(set(cols_row))
    a_eq = np.zeros((len(rows_idx), n))
    b_eq = np.zeros(len(rows_idx))
    for j, r in enumerate(cols_row):
        a_eq[rows_idx.index(r), j] = 1.0
    for k, r in enumerate(rows_idx):
        b_eq[k] = float(inst.rows[r].parcels)
    a_ub, b_ub = [], []
    for i, d in enumerate(inst.departures):
        for attr, cap in (("kg", d.capacity_kg), ("m3", d.capacity_m3)):
            line = np.zeros(n)
            for j, chain in enumerate(cols_path):
                if i in chain:
                    row = inst.rows[cols_row[j]]
                    line[j] = float(getattr(row, attr) / row.parcels)
            if line.any():
                a_ub.append(line)
                b_ub.append(cap)
    res = linprog(
        np.array(cols_cost), A_ub=np.array(a_ub) if a_ub else None,
        b_ub=np.array(b_ub) if b_ub else None, A_eq=a_eq, b_eq=b_eq,
        bounds=(0, None), method="highs",
    )  # fmt: skip
    assert res.status == 0, res.message
    fixed = sum(d.fixed_cost for i, d in enumerate(inst.departures) if open_set and i in open_set)
    return float(res.fun) + fixed


def best_over_candidates(inst: Instance) -> float:
    """The MIP optimum by brute force over every set of open candidates."""
    cands = [i for i, d in enumerate(inst.departures) if d.candidate is not None]
    return min(
        optimum(inst, frozenset(subset))
        for size in range(len(cands) + 1)
        for subset in itertools.combinations(cands, size)
    )

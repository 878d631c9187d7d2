"""Capacity plan of the 11.11 week vs a greedy earliest-arrival assignment, in one run.

The built-in `global-72h` network and the shipped `peak-1111` scenario (1,000,000
parcels in the week of 2026-11-09). Figures, wall and CPU seconds on one core:

* forecast rows (text, as from a file) -> checked rows -> exact commodities -> the model
  arrays (`build_model`), then loading them into HiGHS with one `passModel`, beside the
  naive load of the same model with one `addVar`/`addRow` call per column and row;
* the solve (dual simplex), and the whole plan (build + load + solve + read-out);
* the optimal plan's objective and on-time share beside a greedy baseline measured here:
  each source (in ready-time order) takes its earliest-arrival route while capacity
  lasts, splitting at the first full departure, unserved when no route is worth taking.

    .venv/bin/python benchmarks/capacity.py [--parcels N] [--candidates] [--skip-naive]
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import highspy
import numpy as np
import polars as pl

from ewtp.adapters.highs.planning import HighsPlanSolver, _highs, _lp, build_row_by_row
from ewtp.adapters.network.files import BUILTIN_DIR, read_network_dir
from ewtp.adapters.planning.files import SAMPLES
from ewtp.domain.network.model import NetworkSnapshot
from ewtp.domain.planning import PlanModel, PlanParameters, read_plan
from ewtp.domain.planning.demand import forecast_from_demand, parse_scenario
from ewtp.domain.planning.forecast import forecast_records
from ewtp.services.planning.capacity import PlanInput, prepare_model

WEEK = date(2026, 11, 9)
T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def greedy(model: PlanModel, params: PlanParameters) -> dict[str, float]:
    """Earliest arrival while capacity lasts; the same costs as the model's objective."""
    deps = model.departures
    hubs = {h: i for i, h in enumerate(model.hubs)}
    mct = _mct(model)
    order = sorted(range(len(deps)), key=lambda a: deps[a].departure_utc)
    start = model.start
    dep = [(deps[a].departure_utc - start).total_seconds() for a in range(len(deps))]
    arr = [(deps[a].arrival_utc - start).total_seconds() for a in range(len(deps))]
    frm = [hubs[d.origin] for d in deps]
    to = [hubs[d.destination] for d in deps]
    kg_left = [0.0 if d.candidate else d.capacity_kg for d in deps]
    m3_left = [0.0 if d.candidate else d.capacity_m3 for d in deps]
    worth = params.worth_hours * 3600
    sources = sorted(
        ((s.ready_utc, c.index, s.origin, s.parcels) for c in model.commodities for s in c.sources),
    )
    cache: dict[tuple[int, float], tuple[list[float], list[int]]] = {}
    on_time = late = unserved = late_h = transport = 0.0
    for ready_at, k, origin, parcels in sources:
        c = model.commodities[k]
        w, v = float(c.kg_per_parcel), float(c.m3_per_parcel)
        ready = (ready_at - start).total_seconds()
        due = (c.deadline_utc - start).total_seconds()
        o, h = hubs[origin], hubs[c.hub]
        left = parcels
        if o == h:
            hours = max(0.0, ready - due) / 3600
            if hours * 3600 < worth:
                on_time += left if hours == 0 else 0.0
                late += left if hours > 0 else 0.0
                late_h += left * hours
            else:
                unserved += left
            continue
        while left > 1e-9:
            key = (o, ready)
            found = cache.get(key)
            if found is None:
                found = cache[key] = _scan(
                    order, dep, arr, frm, to, mct, kg_left, m3_left, o, ready
                )
            best, via = found
            if best[h] - due >= worth or via[h] < 0:
                unserved += left
                break
            path, a = [], via[h]
            while a >= 0:
                path.append(a)
                a = via[frm[a]] if frm[a] != o else -1
            room = min(min(kg_left[a] / w, m3_left[a] / v) for a in path)
            take = min(left, room)
            for a in path:
                kg_left[a] -= take * w
                m3_left[a] -= take * v
                transport += take * w * deps[a].cost_per_kg
            hours = max(0.0, best[h] - due) / 3600
            on_time += take if hours == 0 else 0.0
            late += take if hours > 0 else 0.0
            late_h += take * hours
            left -= take
            if take >= room - 1e-9:
                cache.clear()  # a departure filled up: every cached route may use it
    objective = (
        transport + params.late_per_parcel_hour * late_h + params.unserved_per_parcel * unserved
    )
    total = on_time + late + unserved
    return {"objective": objective, "on_time_share": on_time / total, "late": late,
            "unserved": unserved}  # fmt: skip


def _mct(model: PlanModel) -> list[float]:
    files = read_network_dir(BUILTIN_DIR, WEEK)
    by = {hub.code: hub.min_connection_minutes * 60.0 for hub in files.hubs}
    return [by[h] for h in model.hubs]


def _scan(
    order: list[int], dep: list[float], arr: list[float], frm: list[int], to: list[int],
    mct: list[float], kg_left: list[float], m3_left: list[float], origin: int, ready: float,
) -> tuple[list[float], list[int]]:  # fmt: skip
    """Connection scan: earliest arrival per hub over departures with room left."""
    inf = float("inf")
    best = [inf] * len(mct)
    via = [-1] * len(mct)
    for a in order:
        u = frm[a]
        board = ready if u == origin else best[u] + mct[u]
        if dep[a] < board or kg_left[a] <= 1e-9 or m3_left[a] <= 1e-9:
            continue
        if arr[a] < best[to[a]] and to[a] != origin:
            best[to[a]], via[to[a]] = arr[a], a
    return best, via


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parcels", type=int, default=1_000_000)
    parser.add_argument("--candidates", action="store_true", help="also solve the MIP")
    parser.add_argument("--skip-naive", action="store_true")
    args = parser.parse_args()
    files = read_network_dir(BUILTIN_DIR, WEEK)
    snap = NetworkSnapshot(files.name, "bench", tuple(files.hubs), tuple(files.services),
                           tuple(files.zones))  # fmt: skip
    raw = json.loads((SAMPLES / "peak-1111.json").read_text())
    raw["parcels"] = args.parcels
    records = forecast_records(forecast_from_demand(parse_scenario(raw), WEEK))
    params = PlanParameters()
    cands: list[dict[str, Any]] = []
    if args.candidates:
        cands = pl.read_csv(SAMPLES / "candidates-1111.csv", infer_schema=False).to_dicts()
    request = PlanInput(WEEK, records, cands, params)
    model, b_wall, b_cpu = timed(lambda: prepare_model(snap, request))

    def load() -> highspy.Highs:
        h = _highs(1)
        h.passModel(_lp(model))
        return h

    _, l_wall, l_cpu = timed(load)
    print(f"== capacity plan: built-in {files.name}, week {WEEK} (11.11), "
          f"{args.parcels:,} parcels in {len(records):,} forecast rows")  # fmt: skip
    print(f"model: {len(model.commodities):,} commodities, {len(model.departures):,} departures "
          f"-> {model.num_cols:,} columns x {model.num_rows:,} rows, "
          f"{model.row_index.size:,} nonzeros{', MIP' if model.is_mip else ''}")  # fmt: skip
    sol, s_wall, s_cpu = timed(lambda: HighsPlanSolver().solve(model))
    plan, r_wall, r_cpu = timed(lambda: read_plan(model, sol, params, WEEK))
    print(f"{'':34}{'wall s':>9}{'cpu s':>9}")
    rows = [("rows -> commodities -> arrays", b_wall, b_cpu),
            ("HiGHS load, one passModel", l_wall, l_cpu)]  # fmt: skip
    if not args.skip_naive:
        _, n_wall, n_cpu = timed(lambda: build_row_by_row(model))
        rows.append(("HiGHS load, a call per row (naive)", n_wall, n_cpu))
    rows += [("solve (dual simplex)" if not model.is_mip else "solve (MIP + fixed LP + savings)",
              s_wall, s_cpu), ("read the plan", r_wall, r_cpu)]  # fmt: skip
    whole = (b_wall + l_wall + s_wall + r_wall, b_cpu + l_cpu + s_cpu + r_cpu)
    for name, wall, cpu in rows:
        print(f"{name:34}{wall:9.2f}{cpu:9.2f}")
    print(f"{'whole plan (target <= 10 s)':34}{whole[0]:9.2f}{whole[1]:9.2f}")
    if not args.skip_naive:
        print(f"naive load / passModel: {n_cpu / max(l_cpu, 1e-9):,.0f}x (cpu)")
    g, _, g_cpu = timed(lambda: greedy(model, params))
    t = plan.totals
    print(f"{'':24}{'objective EUR':>16}{'on-time share':>15}{'late':>11}{'unserved':>11}")
    print(f"{'optimal (ours)':24}{sol.objective:16,.0f}{t.on_time_share:15.4f}"
          f"{t.late:11,.0f}{t.unserved:11,.0f}")  # fmt: skip
    print(f"{'greedy earliest arrival':24}{g['objective']:16,.0f}{g['on_time_share']:15.4f}"
          f"{g['late']:11,.0f}{g['unserved']:11,.0f}   ({g_cpu:.1f} s cpu)")  # fmt: skip
    print(f"proof: {sol.status}, dual bound {sol.dual_bound:,.2f}, gap {sol.relative_gap:.1e}; "
          f"greedy costs {g['objective'] / sol.objective - 1:+.2%} more")  # fmt: skip
    for b in plan.bottlenecks[:5]:
        print(f"  bottleneck {b.lane} {b.day}: load {b.load_factor:.2f}, "
              f"{b.shadow_m3:,.0f} EUR per extra m3, {b.shadow_kg:,.2f} EUR per extra kg")  # fmt: skip
    for c in plan.candidates:
        print(f"  candidate {c.id}: {'open' if c.open else 'closed'}, saving {c.saving:,.0f} EUR")
    _ = np  # numpy is what the model is made of; imported for readers following along


if __name__ == "__main__":
    main()

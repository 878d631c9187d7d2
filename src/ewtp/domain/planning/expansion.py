"""The time-expanded network of a week and the LP over it, as whole arrays.

Per commodity (a delivery hub, a deadline there, a density) the network has

* a node per (hub, departure time) of the departures that commodity may use;
* departure arcs: a node to the first node at the next hub at or after arrival + that
  hub's minimum connection time, or, into the commodity's own hub, a delivery arc to
  the sink that costs the late penalty per hour past the deadline;
* waiting arcs between consecutive nodes of a hub (free and unbounded);
* an unserved arc from every node where parcels enter, at the unserved penalty, so
  every instance is feasible.

A departure is offered to a commodity only if it lies on some path from one of its
sources (ready time, origin) to its hub that arrives while a late delivery still costs
less than leaving the parcel unserved; the others could carry nothing in an optimal plan,
so leaving them out changes no optimum. Shared rows are kg and m³ per departure (a
candidate's capacity times its open binary) and parcels per hour into a hub with a limit.

Everything is numpy: a Python loop runs per departure (hundreds), never per variable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from ewtp.domain.planning.commodities import Commodity
from ewtp.domain.planning.departures import Departure, HubLimit
from ewtp.domain.planning.parameters import PlanParameters

__all__ = ["DEP", "OPEN", "UNSERVED", "WAIT", "PlanModel", "build_model"]

F = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

DEP, WAIT, UNSERVED, OPEN = 0, 1, 2, 3
_INF = np.int64(1) << np.int64(60)
_T = np.int64(1) << np.int64(26)  # time field of a node key: seconds, up to 776 days
_CHUNK = 2048


@dataclass(slots=True)
class PlanModel:
    """An LP (a MIP with candidates) in HiGHS's terms, with what each column means.

    Rows are in CSR form (`row_start`, `row_index`, `row_value`); the first `num_nodes`
    rows are flow conservation, then a kg and an m³ row per departure that some column
    uses (`kg_row`, `m3_row`, -1 where none), then the hub-hour rows.
    """

    start: datetime
    departures: tuple[Departure, ...]
    commodities: tuple[Commodity, ...]
    col_cost: F
    col_upper: F
    integrality: npt.NDArray[np.int8]
    row_lower: F
    row_upper: F
    row_start: Ints
    row_index: npt.NDArray[np.int32]
    row_value: F
    col_kind: npt.NDArray[np.int8]
    col_commodity: Ints
    col_departure: Ints
    col_tail: Ints
    col_head: Ints  # -1: the sink (delivered or unserved)
    col_late_hours: F
    num_nodes: int
    node_commodity: Ints
    node_hub: Ints
    node_time: Ints
    node_supply: F
    kg_row: Ints
    m3_row: Ints
    hub_rows: tuple[tuple[str, int, int], ...]  # (hub, hour since start, row)
    hubs: tuple[str, ...]
    fixed_delivered: F  # per commodity: parcels delivered outside the LP (origin = hub)
    fixed_late: F
    fixed_late_hours: F
    fixed_unserved: F
    fixed_cost: float
    weights: F = field(default_factory=lambda: np.zeros(0))  # kg per parcel per commodity
    volumes: F = field(default_factory=lambda: np.zeros(0))

    @property
    def num_cols(self) -> int:
        return int(self.col_cost.size)

    @property
    def num_rows(self) -> int:
        return int(self.row_lower.size)

    @property
    def is_mip(self) -> bool:
        return bool(self.integrality.any())


def _secs(moment: datetime, start: datetime) -> int:
    return int((moment - start).total_seconds())


def _reach(o: Ints, dst: Ints, dep: Ints, arr: Ints, avail: Ints, n_hubs: int) -> tuple[Ints, Ints]:
    """Earliest arrival at each hub after taking each departure, latest ready before it."""
    n = o.size
    ea = np.full((n, n_hubs), _INF, dtype=np.int64)
    for a in np.argsort(-dep, kind="stable"):
        nxt = (o == dst[a]) & (dep >= avail[a])
        row = ea[nxt].min(axis=0) if nxt.any() else np.full(n_hubs, _INF, dtype=np.int64)
        row[dst[a]] = arr[a]
        row[o[a]] = _INF  # a commodity never leaves its own hub
        ea[a] = row
    lr = np.full((n, n_hubs), -_INF, dtype=np.int64)
    for a in np.argsort(dep, kind="stable"):
        prv = (dst == o[a]) & (avail <= dep[a])
        row = lr[prv].max(axis=0) if prv.any() else np.full(n_hubs, -_INF, dtype=np.int64)
        row[o[a]] = max(row[o[a]], dep[a])
        lr[a] = row
    return ea, lr


def _first_at_or_after(keys: Ints, prefix: Ints, time: Ints) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """Index of the first node key with this (commodity, hub) prefix at or after `time`."""
    pos = np.searchsorted(keys, prefix * _T + time).astype(np.int64)
    if keys.size == 0:
        return pos, np.zeros(pos.size, dtype=bool)
    clipped = np.minimum(pos, keys.size - 1)
    found = (pos < keys.size) & (keys[clipped] // _T == prefix)
    return np.where(found, pos, 0), found


def build_model(
    start: datetime,
    departures: Sequence[Departure],
    mct_minutes: Mapping[str, int],
    commodities: Sequence[Commodity],
    params: PlanParameters,
    hub_limits: Sequence[HubLimit] = (),
) -> PlanModel:
    """The whole model for HiGHS; `start` is the week's Monday 00:00Z (time zero)."""
    hubs = tuple(sorted(mct_minutes))
    hidx = {c: i for i, c in enumerate(hubs)}
    n_h, n_a, n_k = len(hubs), len(departures), len(commodities)
    o = np.array([hidx[d.origin] for d in departures], dtype=np.int64)
    dst = np.array([hidx[d.destination] for d in departures], dtype=np.int64)
    dep = np.array([_secs(d.departure_utc, start) for d in departures], dtype=np.int64)
    arr = np.array([_secs(d.arrival_utc, start) for d in departures], dtype=np.int64)
    mct = np.array([mct_minutes[c] * 60 for c in hubs], dtype=np.int64)
    avail = arr + mct[dst] if n_a else np.zeros(0, dtype=np.int64)
    cost = np.array([d.cost_per_kg for d in departures], dtype=np.float64)
    ea, lr = _reach(o, dst, dep, arr, avail, n_h)

    w = np.array([float(c.kg_per_parcel) for c in commodities], dtype=np.float64)
    v = np.array([float(c.m3_per_parcel) for c in commodities], dtype=np.float64)
    k_hub = np.array([hidx[c.hub] for c in commodities], dtype=np.int64)
    deadline = np.array([_secs(c.deadline_utc, start) for c in commodities], dtype=np.int64)
    worth = params.worth_hours * 3600.0
    bound = deadline + np.int64(min(worth, 1e15)) if np.isfinite(worth) else deadline + _INF

    # Sources: direct ones (origin = hub) are settled here, the rest enter the network.
    s_k, s_u, s_r, s_p = [], [], [], []
    for c in commodities:
        for s in c.sources:
            s_k.append(c.index)
            s_u.append(hidx[s.origin])
            s_r.append(_secs(s.ready_utc, start))
            s_p.append(s.parcels)
    sk = np.array(s_k, dtype=np.int64)
    su = np.array(s_u, dtype=np.int64)
    sr = np.array(s_r, dtype=np.int64)
    sp = np.array(s_p, dtype=np.float64)
    direct = su == k_hub[sk] if sk.size else np.zeros(0, dtype=bool)
    late_direct = np.maximum(0, sr - deadline[sk]) / 3600.0 if sk.size else np.zeros(0)
    ok_direct = direct & (late_direct < params.worth_hours)
    fixed_delivered = np.bincount(sk[ok_direct], weights=sp[ok_direct], minlength=n_k)
    late_direct_ok = ok_direct & (late_direct > 0)
    fixed_late = np.bincount(sk[late_direct_ok], weights=sp[late_direct_ok], minlength=n_k)
    fixed_late_hours = np.bincount(
        sk[ok_direct], weights=(sp * late_direct)[ok_direct], minlength=n_k
    )
    fixed_unserved = np.bincount(
        sk[direct & ~ok_direct], weights=sp[direct & ~ok_direct], minlength=n_k
    )
    net = ~direct
    rmin = np.full((n_k, n_h), _INF, dtype=np.int64)
    np.minimum.at(rmin, (sk[net], su[net]), sr[net])

    # Which departures each commodity may use (forward from a source, backward to its hub).
    pk, pa = [], []
    origins = np.unique(su[net])
    for lo in range(0, n_k, _CHUNK):
        hi = min(n_k, lo + _CHUNK)
        ok = np.zeros((hi - lo, n_a), dtype=bool)
        for u in origins:
            ok |= lr[None, :, u] >= rmin[lo:hi, None, u]
        ok &= ea.T[k_hub[lo:hi]] < bound[lo:hi, None]
        kk, aa = np.nonzero(ok)
        pk.append(kk + lo)
        pa.append(aa)
    ck = np.concatenate(pk) if pk else np.zeros(0, dtype=np.int64)
    ca = np.concatenate(pa) if pa else np.zeros(0, dtype=np.int64)

    # Nodes: (commodity, hub, departure time); heads are the first node at or after `avail`.
    # An arc whose head finds no node can carry nothing: drop it and look again.
    while True:
        keys = np.unique((ck * n_h + o[ca]) * _T + dep[ca])
        deliver = dst[ca] == k_hub[ck]
        pos, found = _first_at_or_after(keys, ck * n_h + dst[ca], avail[ca])
        keep = deliver | found
        if keep.all():
            break
        ck, ca = ck[keep], ca[keep]
    tail = np.searchsorted(keys, (ck * n_h + o[ca]) * _T + dep[ca]).astype(np.int64)
    head = np.where(deliver, -1, pos).astype(np.int64)
    n_nodes = int(keys.size)
    late_h = np.where(deliver, np.maximum(0, arr[ca] - deadline[ck]) / 3600.0, 0.0)

    # Waiting arcs between consecutive nodes of one commodity at one hub.
    same = keys[1:] // _T == keys[:-1] // _T
    w_from = np.nonzero(same)[0].astype(np.int64)
    w_to = w_from + 1

    # Sources enter at the first node of their origin at or after their ready time.
    nk, nu, nr, npar = sk[net], su[net], sr[net], sp[net]
    spre = nk * n_h + nu
    spos, enters = _first_at_or_after(keys, spre, nr)
    stranded = np.bincount(nk[~enters], weights=npar[~enters], minlength=n_k)
    fixed_unserved = fixed_unserved + stranded
    supply = np.bincount(spos[enters], weights=npar[enters], minlength=n_nodes)
    u_nodes = np.unique(spos[enters])

    # Shared rows: kg and m³ per departure used, then hub-hour throughput.
    cand = np.array([d.candidate is not None for d in departures], dtype=bool)
    used = np.zeros(n_a, dtype=bool)
    used[ca] = True
    used_ids = np.nonzero(used)[0]
    kg_row = np.full(n_a, -1, dtype=np.int64)
    m3_row = np.full(n_a, -1, dtype=np.int64)
    kg_row[used_ids] = n_nodes + np.arange(used_ids.size)
    m3_row[used_ids] = n_nodes + used_ids.size + np.arange(used_ids.size)
    n_rows = n_nodes + 2 * used_ids.size
    cap_kg = np.array([d.capacity_kg for d in departures], dtype=np.float64)
    cap_m3 = np.array([d.capacity_m3 for d in departures], dtype=np.float64)
    limits = {hidx[lim.hub]: lim.parcels_per_hour for lim in hub_limits}
    hub_rows: list[tuple[str, int, int]] = []
    h_cols = np.zeros(0, dtype=np.int64)
    h_rows = np.zeros(0, dtype=np.int64)
    h_upper: list[float] = []
    if limits:
        into = np.isin(dst[ca], list(limits))
        h_cols = np.nonzero(into)[0]
        hour_key = dst[ca[h_cols]] * 100_000 + arr[ca[h_cols]] // 3600
        uniq, inv = np.unique(hour_key, return_inverse=True)
        h_rows = n_rows + inv.astype(np.int64)
        for j, key in enumerate(uniq):
            hub_rows.append((hubs[int(key // 100_000)], int(key % 100_000), n_rows + j))
            h_upper.append(limits[int(key // 100_000)])
        n_rows += uniq.size

    # Columns: departure arcs, waits, unserved, candidate binaries.
    n_x, n_w, n_u = ck.size, w_from.size, u_nodes.size
    cand_ids = np.nonzero(cand)[0]
    n_cols = n_x + n_w + n_u + cand_ids.size
    w0, u0, y0 = n_x, n_x + n_w, n_x + n_w + n_u
    col_cost = np.concatenate(
        [
            w[ck] * cost[ca] + params.late_per_parcel_hour * late_h,
            np.zeros(n_w),
            np.full(n_u, params.unserved_per_parcel),
            np.array([departures[int(a)].fixed_cost for a in cand_ids], dtype=np.float64),
        ]
    )
    col_upper = np.full(n_cols, np.inf)
    col_upper[y0:] = 1.0
    integrality = np.zeros(n_cols, dtype=np.int8)
    integrality[y0:] = 1
    xcols = np.arange(n_x, dtype=np.int64)
    nd = ~deliver
    y_has = kg_row[cand_ids] >= 0
    rows_e = np.concatenate(
        [
            tail, head[nd], kg_row[ca], m3_row[ca], h_rows,
            w_from, w_to, u_nodes.astype(np.int64),
            kg_row[cand_ids[y_has]], m3_row[cand_ids[y_has]],
        ]
    )  # fmt: skip
    cols_e = np.concatenate(
        [
            xcols, xcols[nd], xcols, xcols, h_cols,
            w0 + np.arange(n_w), w0 + np.arange(n_w), u0 + np.arange(n_u),
            y0 + np.nonzero(y_has)[0], y0 + np.nonzero(y_has)[0],
        ]
    )  # fmt: skip
    vals_e = np.concatenate(
        [
            np.ones(n_x), -np.ones(int(nd.sum())), w[ck], v[ck], np.ones(h_cols.size),
            np.ones(n_w), -np.ones(n_w), np.ones(n_u),
            -cap_kg[cand_ids[y_has]], -cap_m3[cand_ids[y_has]],
        ]
    )  # fmt: skip
    order = np.argsort(rows_e, kind="stable")
    counts = np.bincount(rows_e, minlength=n_rows)
    row_start = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    row_lower = np.concatenate(
        [supply, np.full(2 * used_ids.size, -np.inf), np.full(len(h_upper), -np.inf)]
    )
    upper_kg = np.where(cand[used_ids], 0.0, cap_kg[used_ids])
    upper_m3 = np.where(cand[used_ids], 0.0, cap_m3[used_ids])
    row_upper = np.concatenate([supply, upper_kg, upper_m3, np.array(h_upper, dtype=np.float64)])

    fixed_cost = float(
        params.late_per_parcel_hour * fixed_late_hours.sum()
        + params.unserved_per_parcel * fixed_unserved.sum()
    )
    return PlanModel(
        start=start,
        departures=tuple(departures),
        commodities=tuple(commodities),
        col_cost=col_cost,
        col_upper=col_upper,
        integrality=integrality,
        row_lower=row_lower,
        row_upper=row_upper,
        row_start=row_start,
        row_index=cols_e[order].astype(np.int32),
        row_value=vals_e[order],
        col_kind=np.concatenate(
            [
                np.full(n_x, DEP),
                np.full(n_w, WAIT),
                np.full(n_u, UNSERVED),
                np.full(cand_ids.size, OPEN),
            ]
        ).astype(np.int8),
        col_commodity=np.concatenate(
            [ck, keys[w_from] // _T // n_h, keys[u_nodes] // _T // n_h, np.full(cand_ids.size, -1)]
        ).astype(np.int64),
        col_departure=np.concatenate([ca, np.full(n_w + n_u, -1), cand_ids]).astype(np.int64),
        col_tail=np.concatenate([tail, w_from, u_nodes, np.full(cand_ids.size, -1)]).astype(
            np.int64
        ),
        col_head=np.concatenate([head, w_to, np.full(n_u + cand_ids.size, -1)]).astype(np.int64),
        col_late_hours=np.concatenate([late_h, np.zeros(n_w + n_u + cand_ids.size)]),
        num_nodes=n_nodes,
        node_commodity=(keys // _T // n_h).astype(np.int64),
        node_hub=(keys // _T % n_h).astype(np.int64),
        node_time=(keys % _T).astype(np.int64),
        node_supply=np.asarray(supply, dtype=np.float64),
        kg_row=kg_row,
        m3_row=m3_row,
        hub_rows=tuple(hub_rows),
        hubs=hubs,
        fixed_delivered=np.asarray(fixed_delivered, dtype=np.float64),
        fixed_late=np.asarray(fixed_late, dtype=np.float64),
        fixed_late_hours=np.asarray(fixed_late_hours, dtype=np.float64),
        fixed_unserved=np.asarray(fixed_unserved, dtype=np.float64),
        fixed_cost=fixed_cost,
        weights=w,
        volumes=v,
    )

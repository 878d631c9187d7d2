"""Compile a big timetable from columns with numpy, never making a Python object per row.

`Timetable(connections, hubs)` sorts and groups Python objects, which costs seconds per
million connections. Here the same layout comes from vectorised sorts: one `lexsort` by
(departure, arrival), one stable sort by edge, and per edge a reversed running minimum
for the suffix minima that `Timetable.earliest_arrival` bisects. Ties break as in the
object build (stable order; the later of equal arrivals wins), so both builds answer
alike. Connections are made on demand from the arrays (`LazyConnections`).
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from ewtp.domain.network.model import Connection, Mode
from ewtp.domain.network.timetable import (
    COST_SCALE,
    EdgeDepartures,
    LazyConnections,
    Timetable,
)

__all__ = ["compile_arrays"]

Ints = npt.NDArray[np.int64]


def _q(values: npt.NDArray[np.int64]) -> array[int]:
    return array("q", np.ascontiguousarray(values, dtype=np.int64).tobytes())


def compile_arrays(
    codes: Sequence[str],
    mct_minutes: Sequence[int],
    dep: npt.ArrayLike,
    arr: npt.ArrayLike,
    frm: npt.ArrayLike,
    to: npt.ArrayLike,
    cost: npt.ArrayLike,
    connection_at: Callable[[int], Connection] | None = None,
) -> Timetable:
    """A `Timetable` from one entry per connection, in any order.

    `dep`/`arr` are UTC epoch seconds, `frm`/`to` indices into `codes`, `cost` EUR/kg
    in 1/`COST_SCALE` units. `connection_at(i)` makes the Connection of input row i for
    itineraries; by default a plain one named `row-i` is made from the arrays.
    """
    columns = [np.asarray(x, dtype=np.int64) for x in (dep, arr, frm, to, cost)]
    n = len(columns[0])
    if any(len(c) != n for c in columns):
        raise ValueError("dep, arr, frm, to and cost must have one entry per connection")
    order: Ints = np.lexsort((columns[1], columns[0])).astype(np.int64)
    d, a, f, t, c = (col[order] for col in columns)
    hubs = len(codes)
    edge = f * hubs + t
    by_edge: Ints = np.argsort(edge, kind="stable").astype(np.int64)
    edge_sorted = edge[by_edge]
    cuts = np.flatnonzero(np.diff(edge_sorted)) + 1
    lows = np.concatenate(([0], cuts)).astype(np.int64) if n else cuts
    highs = np.concatenate((cuts, [n])).astype(np.int64) if n else cuts
    # Suffix minimum of arrival per edge; equal arrivals resolve to the later position.
    base = int(a.min()) if n else 0
    key = (a[by_edge] - base) * max(n, 1) + (n - 1 - np.arange(n, dtype=np.int64))
    suffix = np.empty_like(key)
    for lo, hi in zip(lows.tolist(), highs.tolist(), strict=True):
        suffix[lo:hi] = np.minimum.accumulate(key[lo:hi][::-1])[::-1]
    suffix_arr = suffix // max(n, 1) + base
    suffix_idx = by_edge[n - 1 - suffix % max(n, 1)]
    out: list[list[EdgeDepartures]] = [[] for _ in codes]
    dep_e, arr_e = d[by_edge], a[by_edge]
    for lo, hi in zip(lows.tolist(), highs.tolist(), strict=True):
        u, v = divmod(int(edge_sorted[lo]), hubs)
        out[u].append(
            EdgeDepartures(
                head=v,
                deps=_q(dep_e[lo:hi]),
                arrs=_q(arr_e[lo:hi]),
                idxs=_q(by_edge[lo:hi]),
                suffix_arr=_q(suffix_arr[lo:hi]),
                suffix_idx=_q(suffix_idx[lo:hi]),
            )
        )
    make = connection_at or _plain_connections(codes, columns)
    return Timetable.assemble(
        codes,
        mct_minutes,
        (_q(d), _q(a), _q(f), _q(t), _q(c)),
        out,
        LazyConnections(n, lambda k: make(int(order[k]))),
    )


def _plain_connections(codes: Sequence[str], columns: list[Ints]) -> Callable[[int], Connection]:
    dep, arr, frm, to, cost = columns

    def make(i: int) -> Connection:
        return Connection(
            service_id=f"row-{i}",
            mode=Mode.ROAD,
            origin=codes[int(frm[i])],
            destination=codes[int(to[i])],
            departure_utc=datetime.fromtimestamp(int(dep[i]), tz=UTC),
            arrival_utc=datetime.fromtimestamp(int(arr[i]), tz=UTC),
            cost_per_kg=Decimal(int(cost[i])) / COST_SCALE,
            co2_kg_per_kg=Decimal(0),
            capacity_kg=Decimal(0),
        )

    return make

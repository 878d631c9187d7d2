"""The numpy build lays a timetable out exactly as the object build does."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.adapters.network.timetable_arrays import compile_arrays
from ewtp.domain.network.model import Connection, Mode
from ewtp.domain.network.timetable import INF, Timetable

T0 = 1_795_000_000


@settings(max_examples=50, deadline=None)
@given(
    hubs=st.integers(2, 6),
    rows=st.lists(
        st.tuples(
            st.integers(0, 5),
            st.integers(1, 5),
            st.integers(0, 60),
            st.integers(1, 30),
            st.integers(0, 9),
        ),
        max_size=80,
    ),
    mct=st.lists(st.sampled_from([0, 30, 60, 240]), min_size=6, max_size=6),
)
def test_array_build_equals_the_object_build(
    hubs: int, rows: list[tuple[int, int, int, int, int]], mct: list[int]
) -> None:
    codes = [f"H{i}" for i in range(hubs)]
    # Coarse times make many equal departures and arrivals: the ties must break alike.
    frm = [r[0] % hubs for r in rows]
    to = [(r[0] + r[1]) % hubs if (r[0] + r[1]) % hubs != r[0] % hubs else (r[0] + 1) % hubs
          for r in rows]  # fmt: skip
    dep = [T0 + r[2] * 1800 for r in rows]
    arr = [d + r[3] * 1800 for d, r in zip(dep, rows, strict=True)]
    cost = [r[4] * 2500 for r in rows]
    conns = [
        Connection(f"row-{i}", Mode.ROAD, codes[frm[i]], codes[to[i]],
                   datetime.fromtimestamp(dep[i], UTC), datetime.fromtimestamp(arr[i], UTC),
                   Decimal(cost[i]) / 10_000, Decimal(0), Decimal(0))
        for i in range(len(rows))
    ]  # fmt: skip
    objects = Timetable(conns, dict(zip(codes, mct, strict=False)))
    arrays = compile_arrays(codes, mct[:hubs], np.array(dep), arr, frm, to, cost)
    columns = ("dep", "arr", "frm", "to", "cost")
    assert [getattr(arrays, c) for c in columns] == [getattr(objects, c) for c in columns]
    shape = [
        [(e.head, e.deps, e.arrs, e.idxs, e.suffix_arr, e.suffix_idx) for e in edges]
        for edges in arrays.out
    ]
    assert shape == [
        [(e.head, e.deps, e.arrs, e.idxs, e.suffix_arr, e.suffix_idx) for e in edges]
        for edges in objects.out
    ]
    assert list(arrays.connections) == list(objects.connections)
    for o in range(hubs):
        for ready in (T0, T0 + 7200, T0 + 40 * 1800):
            assert arrays.earliest_arrival(o, ready) == objects.earliest_arrival(o, ready)
            assert (
                arrays.earliest_arrival(o, ready, T0 + 30 * 1800)[0]
                == (objects.earliest_arrival(o, ready, T0 + 30 * 1800)[0])
            )


def test_an_empty_timetable_compiles_and_reaches_nothing() -> None:
    table = compile_arrays(["A", "B"], [0, 0], [], [], [], [], [])
    assert table.earliest_arrival(0, T0)[0] == [T0, INF]
    assert len(table.connections) == 0

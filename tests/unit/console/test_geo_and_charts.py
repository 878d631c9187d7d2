"""The console's map projection, TopoJSON decoding and bar layout, against hand-worked
values."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.web.operator.charts import bar_chart
from ewtp.web.operator.geo import EUROPE, WORLD, decode_arcs, project, world_path


def test_the_projection_puts_known_places_where_the_arithmetic_says() -> None:
    # Liège airport 5.44 E 50.64 N: x = 185.44 / 360 * 1000, y = (80 - 50.64) / 140 * h
    x, y = project(5.44, 50.64)
    assert x == pytest.approx(515.1, abs=0.1)
    assert y == pytest.approx((80 - 50.64) / 140 * WORLD.height, abs=0.1)
    assert project(-12.0, 62.0, EUROPE) == (0.0, 0.0)
    assert project(32.0, 35.0, EUROPE) == (1000.0, EUROPE.height)


def test_topojson_arcs_are_delta_decoded_and_transformed() -> None:
    topology = {"transform": {"scale": [0.5, 2.0], "translate": [10.0, -5.0]},
                "arcs": [[[0, 0], [2, 1], [-1, 3]]]}  # fmt: skip
    # absolute quantized points (0,0), (2,1), (1,4) -> 10 + 0.5 q, -5 + 2 q
    assert decode_arcs(topology) == [[(10.0, -5.0), (11.0, -3.0), (10.5, 3.0)]]


def test_the_world_outline_has_no_line_across_the_whole_map() -> None:
    d = world_path()
    assert d.count("M") > 100
    for sub in d.split("M")[1:]:
        xs = [float(p.split(",")[0]) for p in sub.rstrip("Z").split("L")]
        assert all(abs(a - b) <= 500 for a, b in itertools.pairwise(xs))


@given(st.lists(st.integers(0, 10_000), min_size=1, max_size=48))
def test_bar_heights_are_proportional_to_their_values(values: list[int]) -> None:
    chart = bar_chart([str(i) for i in range(len(values))], {"s": [float(v) for v in values]},
                      {"s": "#000"})  # fmt: skip
    top = max(1, *values)
    tallest = max(b.height for b in chart.bars)
    for bar, value in zip(chart.bars, values, strict=True):
        assert bar.value == value
        if top > 1 or value:
            assert bar.height == pytest.approx(value / top * tallest if tallest else 0, abs=0.11)
        assert bar.y + bar.height == pytest.approx(chart.height - 24, abs=0.11)

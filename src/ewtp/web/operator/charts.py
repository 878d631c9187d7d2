"""Server-side SVG bar charts: a pure layout (bars with their numbers), drawn by the
`operator/chart.html` macro with a table alternative and a CSV link beside it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Bar", "BarChart", "bar_chart"]

WIDTH, HEIGHT, LEFT, BOTTOM = 720.0, 220.0, 40.0, 24.0


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    series: str
    value: float
    x: float
    y: float
    width: float
    height: float
    colour: str


@dataclass(frozen=True, slots=True)
class BarChart:
    bars: tuple[Bar, ...]
    labels: tuple[tuple[str, float], ...]  # (category label, x) along the bottom
    top: float  # the value at the top of the plot
    width: float = WIDTH
    height: float = HEIGHT


def bar_chart(
    categories: list[str], series: dict[str, list[float]], colours: dict[str, str]
) -> BarChart:
    """Grouped bars: one group per category, one bar per series in it."""
    top = max([1.0, *(v for values in series.values() for v in values)])
    plot_w, plot_h = WIDTH - LEFT, HEIGHT - BOTTOM - 8
    group = plot_w / max(1, len(categories))
    each = group * 0.8 / max(1, len(series))
    bars = []
    for i, category in enumerate(categories):
        for j, (name, values) in enumerate(series.items()):
            h = values[i] / top * plot_h
            x = LEFT + i * group + group * 0.1 + j * each
            bars.append(Bar(category, name, values[i], round(x, 1), round(8 + plot_h - h, 1),
                            round(each, 1), round(h, 1), colours[name]))  # fmt: skip
    step = max(1, len(categories) // 12)
    labels = tuple(
        (c, round(LEFT + i * group, 1)) for i, c in enumerate(categories) if i % step == 0
    )
    return BarChart(tuple(bars), labels, top)

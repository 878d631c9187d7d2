"""Server-side SVG charts: pure layouts (bars, or lines through points, with their
numbers), drawn by the `operator/chart.html` macros with a table alternative and a CSV
link beside them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PALETTE", "Bar", "BarChart", "Line", "LineChart", "Point", "bar_chart", "line_chart"]

WIDTH, HEIGHT, LEFT, BOTTOM = 720.0, 220.0, 40.0, 24.0
#: Series colours with at least 4.5:1 contrast on white (the legend is text in them).
PALETTE = ("#0b62c4", "#b3261e", "#1a7f37", "#8a5a00", "#7a3fc4", "#4d5660")


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


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    series: str
    value: float
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Line:
    series: str
    colour: str
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


@dataclass(frozen=True, slots=True)
class LineChart:
    lines: tuple[Line, ...]
    labels: tuple[tuple[str, float], ...]
    top: float
    width: float = WIDTH
    height: float = HEIGHT


def line_chart(categories: list[str], series: dict[str, list[float]]) -> LineChart:
    """One line per series through its value at each category, coloured from PALETTE."""
    top = max([1.0, *(v for values in series.values() for v in values)])
    plot_w, plot_h = WIDTH - LEFT - 8, HEIGHT - BOTTOM - 8
    step_x = plot_w / max(1, len(categories) - 1)
    lines = []
    for j, (name, values) in enumerate(series.items()):
        points = tuple(
            Point(
                c,
                name,
                values[i],
                round(LEFT + i * step_x, 1),
                round(8 + plot_h - values[i] / top * plot_h, 1),
            )
            for i, c in enumerate(categories)
        )
        lines.append(Line(name, PALETTE[j % len(PALETTE)], points))
    step = max(1, len(categories) // 12)
    labels = tuple(
        (c, round(LEFT + i * step_x, 1)) for i, c in enumerate(categories) if i % step == 0
    )
    return LineChart(tuple(lines), labels, top)

"""A run's files: summary JSON, hourly CSV and Parquet, SVG charts, a self-contained HTML.

The charts are drawn here as plain SVG (no plotting library, no external asset), and
the HTML report embeds them inline with the KPI tables, so the report opens offline.
"""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from ewtp.domain.simulation.results import RunSummary

__all__ = ["line_chart", "write_report"]

WIDTH, HEIGHT, PAD = 720, 260, 48
COLOURS = ("#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#57606a")


def line_chart(title: str, series: dict[str, Sequence[float]], unit: str) -> str:
    """An SVG line chart of hourly series, with a title and a text alternative."""
    hours = max((len(v) for v in series.values()), default=0)
    top = max((max(v, default=0.0) for v in series.values()), default=0.0) or 1.0
    sx = (WIDTH - 2 * PAD) / max(hours - 1, 1)
    sy = (HEIGHT - 2 * PAD) / top
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="t"><title id="t">{html.escape(title)}</title>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{PAD}" y="20" font-size="14" font-family="sans-serif">{html.escape(title)}</text>',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#888"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#888"/>',
        f'<text x="4" y="{PAD}" font-size="10" font-family="sans-serif">{top:,.0f} {html.escape(unit)}</text>',
    ]
    for h in range(0, hours, 6):
        x = PAD + h * sx
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - PAD + 14}" font-size="10" font-family="sans-serif">{h}h</text>'
        )
    for i, (name, values) in enumerate(series.items()):
        colour = COLOURS[i % len(COLOURS)]
        points = " ".join(
            f"{PAD + h * sx:.1f},{HEIGHT - PAD - v * sy:.1f}" for h, v in enumerate(values)
        )
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>'
        )
        parts.append(
            f'<text x="{WIDTH - PAD - 150}" y="{PAD + 14 * i}" font-size="11" fill="{colour}" '
            f'font-family="sans-serif">{html.escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _charts(summary: RunSummary) -> dict[str, str]:
    stages = list(summary.stages)
    hourly = summary.hourly
    return {
        "throughput": line_chart(
            "Parcels to the chutes per hour", {"throughput": hourly["throughput"]}, "parcels/h"
        ),
        "queues": line_chart(
            "Parcels waiting, by stage, at each hour",
            {s: hourly[f"{s}.queue"] for s in stages},
            "parcels",
        ),
        "utilization": line_chart(
            "Utilization by stage and hour",
            {s: hourly[f"{s}.utilization"] for s in stages},
            "share",
        ),
    }


def _hourly_rows(summary: RunSummary) -> list[dict[str, Any]]:
    hours = max((len(v) for v in summary.hourly.values()), default=0)
    return [
        {"hour": h} | {k: (v[h] if h < len(v) else 0.0) for k, v in summary.hourly.items()}
        for h in range(hours)
    ]


def _fmt(x: float) -> str:
    return f"{x:,.3f}" if abs(x) < 100 else f"{x:,.0f}"


def _html(summary: RunSummary, charts: dict[str, str]) -> str:
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(k)}</th><td>{_fmt(v.mean)}</td><td>{_fmt(v.low)} – {_fmt(v.high)}</td></tr>"
        for k, v in summary.totals.items()
    )
    stage_rows = "".join(
        f"<tr><th scope='row'>{html.escape(name)}</th>"
        + "".join(
            f"<td>{_fmt(k['mean_wait_minutes'].mean)} ± {_fmt(k['mean_wait_minutes'].half_width)}</td>"
            for _ in [0]
        )
        + f"<td>{_fmt(k['p95_wait_minutes'].mean)}</td><td>{_fmt(k['max_wait_minutes'].mean)}</td>"
        f"<td>{_fmt(k['mean_queue'].mean)}</td><td>{_fmt(k['max_queue'].mean)}</td>"
        f"<td>{k['utilization'].mean:.1%}</td></tr>"
        for name, k in summary.stages.items()
    )
    figures = "".join(f"<figure>{svg}</figure>" for svg in charts.values())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simulation: {html.escape(summary.scenario)}</title>
<style>body{{font-family:sans-serif;margin:1rem;max-width:960px}}table{{border-collapse:collapse;margin:1rem 0}}
th,td{{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}}th{{text-align:left}}svg{{max-width:100%;height:auto}}</style>
</head><body><main>
<h1>{html.escape(summary.scenario)}</h1>
<p>{summary.replications} replication(s), seed {summary.seed}. Bottleneck: <strong>{html.escape(summary.bottleneck)}</strong>.
Intervals are 95% Student-t intervals over the replications.</p>
<h2>Totals</h2><table><thead><tr><th scope="col">KPI</th><th scope="col">mean</th><th scope="col">95% interval</th></tr></thead><tbody>{rows}</tbody></table>
<h2>Stages</h2><table><thead><tr><th scope="col">stage</th><th scope="col">mean wait (min)</th><th scope="col">p95 wait</th>
<th scope="col">max wait</th><th scope="col">mean queue</th><th scope="col">max queue</th><th scope="col">utilization</th></tr></thead>
<tbody>{stage_rows}</tbody></table>
<h2>By hour</h2>{figures}
<p>The hourly figures are in <a href="hourly.csv">hourly.csv</a>.</p>
</main></body></html>
"""


def write_report(summary: RunSummary, out: Path) -> list[Path]:
    """Write the run's files into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    result = out / "result.json"
    result.write_text(
        json.dumps(summary.as_dict(), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    written.append(result)
    rows = _hourly_rows(summary)
    hourly = out / "hourly.csv"
    with hourly.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["hour"])
        writer.writeheader()
        writer.writerows(rows)
    written.append(hourly)
    parquet = out / "hourly.parquet"
    pl.DataFrame(rows).write_parquet(parquet)
    written.append(parquet)
    charts = _charts(summary)
    for name, svg in charts.items():
        path = out / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        written.append(path)
    report = out / "report.html"
    report.write_text(_html(summary, charts), encoding="utf-8")
    written.append(report)
    return written

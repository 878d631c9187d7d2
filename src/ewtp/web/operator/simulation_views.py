"""A simulation result (the JSON `GET /v1/simulations/{id}` answers) as the console's
tables and charts: KPI rows with their 95% intervals, the hourly series, the comparison.

Pure functions of the stored summary, so what is drawn is the API's numbers unrounded
(each bar, point and KPI cell carries its value in a `data-` attribute)."""

from __future__ import annotations

from typing import Any

from ewtp.web.operator.charts import PALETTE, BarChart, LineChart, bar_chart, line_chart

__all__ = [
    "COMPARE_COLUMNS",
    "KPI_COLUMNS",
    "STAGE_KPIS",
    "compare_chart",
    "hourly_columns",
    "hourly_rows",
    "kpi_rows",
    "report_charts",
    "stage_table",
]

KPI_COLUMNS = ["kpi", "mean", "low", "high", "n"]
COMPARE_COLUMNS = ["kpi", "a", "b", "difference", "low", "high", "significant"]
#: The stage KPIs the report's table shows (the CSV has all of them).
STAGE_KPIS = ["mean_wait_minutes", "p95_wait_minutes", "mean_queue", "max_queue",
              "utilization", "mean_sojourn_minutes"]  # fmt: skip


def kpi_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Every total and every stage KPI: its mean and 95% interval over replications."""
    rows = [{"kpi": k, **v} for k, v in result["totals"].items()]
    for stage, kpis in result["stages"].items():
        rows += [{"kpi": f"{stage}.{k}", **v} for k, v in kpis.items()]
    return [{c: r[c] for c in KPI_COLUMNS} for r in rows]


def stage_table(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per stage: the shown KPIs' intervals, by KPI name."""
    return [
        {"stage": stage, "kpis": {k: kpis[k] for k in STAGE_KPIS if k in kpis}}
        for stage, kpis in result["stages"].items()
    ]


def hourly_columns(result: dict[str, Any]) -> list[str]:
    return ["hour", *result["hourly"]]


def hourly_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per simulated hour, one column per series (mean over replications)."""
    series: dict[str, list[float]] = result["hourly"]
    hours = max((len(v) for v in series.values()), default=0)
    return [
        {
            "hour": h,
            **{name: values[h] if h < len(values) else 0.0 for name, values in series.items()},
        }
        for h in range(hours)
    ]


def report_charts(result: dict[str, Any]) -> dict[str, BarChart | LineChart]:
    """Parcels out per hour (bars); queue and utilization per stage and hour (lines)."""
    rows = hourly_rows(result)
    hours = [str(r["hour"]) for r in rows]
    stages = list(result["stages"])
    return {
        "throughput": bar_chart(
            hours, {"throughput": [r["throughput"] for r in rows]}, {"throughput": PALETTE[0]}
        ),
        "queues": line_chart(hours, {s: [r.get(f"{s}.queue", 0.0) for r in rows] for s in stages}),
        "utilization": line_chart(
            hours, {s: [r.get(f"{s}.utilization", 0.0) for r in rows] for s in stages}
        ),
    }


def compare_chart(a: dict[str, Any], b: dict[str, Any]) -> tuple[BarChart, list[dict[str, Any]]]:
    """Throughput per hour of run A beside run B, and its rows (hour, A, B)."""
    first, second = a["hourly"].get("throughput", []), b["hourly"].get("throughput", [])
    hours = max(len(first), len(second))
    rows = [
        {
            "hour": h,
            "A": first[h] if h < len(first) else 0.0,
            "B": second[h] if h < len(second) else 0.0,
        }
        for h in range(hours)
    ]
    chart = bar_chart(
        [str(r["hour"]) for r in rows], {"A": [r["A"] for r in rows], "B": [r["B"] for r in rows]},
        {"A": PALETTE[0], "B": PALETTE[1]},
    )  # fmt: skip
    return chart, rows

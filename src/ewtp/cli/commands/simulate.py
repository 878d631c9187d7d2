"""`ewtp simulate run|compare|scenarios`: the peak-day simulation from the command line."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress

from ewtp.adapters.simulation.files import read_result, read_scenario, shipped_scenarios
from ewtp.adapters.simulation.report import write_report
from ewtp.adapters.simulation.runners import DaskRunner, ProcessRunner
from ewtp.adapters.simulation.simulator import SimpySimulator
from ewtp.cli.output import FormatOption, OutputFormat, emit
from ewtp.services.simulation.ports import AbstractReplicationRunner
from ewtp.services.simulation.run import compare_runs, prepare_scenario, run_simulation

__all__ = ["register"]

sim_app = typer.Typer(
    help="Peak-day simulation: run scenarios, compare runs.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(sim_app, name="simulate")


def _rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [
        {
            "kpi": k,
            "mean": round(v["mean"], 4),
            "low": round(v["low"], 4),
            "high": round(v["high"], 4),
        }
        for k, v in result["totals"].items()
    ]
    for stage, kpis in result["stages"].items():
        for key in ("mean_wait_minutes", "p95_wait_minutes", "mean_queue", "utilization"):
            v = kpis[key]
            rows.append(
                {
                    "kpi": f"{stage}.{key}",
                    "mean": round(v["mean"], 4),
                    "low": round(v["low"], 4),
                    "high": round(v["high"], 4),
                }
            )
    return rows


@sim_app.command("run")
def run(
    scenario: Path = typer.Argument(..., help="Scenario TOML, or the name of a shipped one."),
    replications: int = typer.Option(10, "--replications", "-r", min=1, max=1000),
    seed: int = typer.Option(7, "--seed", min=0),
    sets: list[str] = typer.Option([], "--set", help="Override a key, e.g. sorter.rate=+20%."),
    dask: str | None = typer.Option(
        None, "--dask", help="Dask scheduler address (tcp://host:port)."
    ),
    workers: int = typer.Option(
        min(os.cpu_count() or 1, 4), "--workers", min=1, help="Local processes."
    ),
    out: Path = typer.Option(
        Path("var/simulations/latest"), "--out", help="Folder for the report files."
    ),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """Run a scenario's replications; print KPIs with 95% intervals and write the report."""
    parsed = prepare_scenario(read_scenario(scenario), sets)
    runner: AbstractReplicationRunner = DaskRunner(dask) if dask else ProcessRunner(workers)
    with Progress(transient=True) as bar:
        task = bar.add_task(f"simulating {parsed.name}", total=replications)
        result = run_simulation(
            parsed, SimpySimulator(), runner, replications, seed,
            lambda done, _total: bar.update(task, completed=done),
        )  # fmt: skip
    files = write_report(result.summary, out)
    data = result.summary.as_dict()
    if fmt is OutputFormat.JSON:
        emit(data | {"files": [str(f) for f in files]}, fmt)
        return
    title = f"{parsed.name}: bottleneck {data['bottleneck']}; report {out / 'report.html'}"
    emit(_rows(data), fmt or OutputFormat.TABLE, ["kpi", "mean", "low", "high"], title=title)


@sim_app.command("compare")
def compare(
    a: Path = typer.Argument(..., help="result.json of run A (or its folder)."),
    b: Path = typer.Argument(..., help="result.json of run B (or its folder)."),
    fmt: OutputFormat | None = FormatOption,
) -> None:
    """B minus A for every KPI, with a 95% interval for the difference."""
    rows = compare_runs(read_result(a, "a"), read_result(b, "b"))
    emit(rows, fmt, ["kpi", "a", "b", "difference", "low", "high", "significant"])


@sim_app.command("scenarios")
def scenarios(fmt: OutputFormat | None = FormatOption) -> None:
    """List the shipped scenarios."""
    emit([{"scenario": name} for name in shipped_scenarios()], fmt, ["scenario"])

"""Simulations: the list of runs, a what-if form on a shipped scenario with its progress,
a run's report (charts and the KPI table with 95% intervals) and two runs compared.

The form starts the same background job `POST /v1/simulations` starts; htmx then polls
the run's progress fragment every second and shows the report's link when it is done,
never reloading the page. Only the signed-in operator's own account's runs are shown,
as the API does."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Form, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.simulation.uow import SqlAlchemySimulationUnitOfWork
from ewtp.adapters.simulation.files import read_scenario, shipped_scenarios
from ewtp.adapters.simulation.progress import BOARD, ReportingRunner
from ewtp.adapters.simulation.runners import InlineRunner
from ewtp.adapters.simulation.simulator import SimpySimulator
from ewtp.domain.errors import DomainError, InvalidInput, NotFound
from ewtp.services.simulation.jobs import (
    create_simulation,
    get_simulation,
    list_simulations,
    run_simulation_job,
)
from ewtp.services.simulation.ports import SimulationRun
from ewtp.services.simulation.run import compare_runs
from ewtp.web.operator import simulation_views as sv
from ewtp.web.operator.common import OperatorOnly, csv_response
from ewtp.web.pages import CsrfDep, Viewer, factory_of, field_errors, not_found, redirect, render

__all__ = ["router"]

router = APIRouter(prefix="/console/simulations", include_in_schema=False, dependencies=[CsrfDep])
FormStr = Annotated[str, Form()]
MAX_REPLICATIONS = 100  # the API's bound


def _uow(request: Request) -> SqlAlchemySimulationUnitOfWork:
    return SqlAlchemySimulationUnitOfWork(factory_of(request))


def _runs(request: Request, viewer: Viewer) -> list[SimulationRun]:
    return [r for r in list_simulations(_uow(request)) if r.account_id == viewer.account_id]


def _run(request: Request, viewer: Viewer, run_id: str) -> SimulationRun | None:
    try:
        run = get_simulation(_uow(request), run_id)
    except NotFound:
        return None
    return run if run.account_id == viewer.account_id else None


def _whole(value: str, field: str, low: int, high: int | None = None) -> int:
    try:
        number = int(value.strip())
    except ValueError:
        raise InvalidInput(f"must be a whole number, not {value!r}", field=field) from None
    if number < low or (high is not None and number > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise InvalidInput(f"must be {bound}", field=field)
    return number


def _page(request: Request, viewer: Viewer, form: dict[str, str], errors: dict[str, str],
          run: SimulationRun | None, status_code: int = 200) -> Response:  # fmt: skip
    context: dict[str, Any] = {
        "form": form, "errors": errors, "run": run, "progress": BOARD.get(run.id) if run else None,
        "scenarios": [(s, s) for s in shipped_scenarios()],
    }  # fmt: skip
    if request.headers.get("hx-request") == "true":
        return render(request, "operator/simulation_start.html", context)
    runs = _runs(request, viewer)
    context |= {"runs": runs, "done": [r for r in runs if r.status == "done"]}
    return render(request, "operator/simulations.html", context, status_code=status_code)


@router.get("")
def simulation_list(request: Request, viewer: OperatorOnly) -> Response:
    form = {"scenario": "liege-normal-day.toml", "sets": "", "replications": "5", "seed": "7"}
    return _page(request, viewer, form, {}, None)


@router.post("")
def start_simulation(
    request: Request, viewer: OperatorOnly, tasks: BackgroundTasks, scenario: FormStr = "",
    sets: FormStr = "", replications: FormStr = "5", seed: FormStr = "7",
) -> Response:  # fmt: skip
    """Queue a what-if of a shipped scenario; htmx gets the form back with the progress."""
    form = {"scenario": scenario, "sets": sets, "replications": replications, "seed": seed}
    pairs = [line.strip() for line in sets.splitlines() if line.strip()]
    try:
        if scenario not in shipped_scenarios():
            raise InvalidInput("choose one of the shipped scenarios", field="scenario")
        run = create_simulation(
            _uow(request), viewer.account_id, read_scenario(Path(scenario)), pairs,
            _whole(replications, "replications", 1, MAX_REPLICATIONS),
            _whole(seed, "seed", 0), utcnow(),
        )  # fmt: skip
    except DomainError as exc:
        htmx = request.headers.get("hx-request") == "true"
        return _page(request, viewer, form, field_errors(exc), None, 200 if htmx else 422)
    factory = factory_of(request)
    BOARD.report(run.id, 0, int(run.request["replications"]))

    def job() -> None:
        try:
            run_simulation_job(
                lambda: SqlAlchemySimulationUnitOfWork(factory), SimpySimulator(),
                ReportingRunner(InlineRunner(), BOARD, run.id), run, utcnow,
            )  # fmt: skip
        finally:
            BOARD.forget(run.id)

    tasks.add_task(job)
    if request.headers.get("hx-request") != "true":
        return redirect(f"/console/simulations/{run.id}")
    return _page(request, viewer, form, {}, run)


@router.get("/compare")
def compare_page(request: Request, viewer: OperatorOnly, a: str = "", b: str = "") -> Response:
    runs = _runs(request, viewer)
    context: dict[str, Any] = {"done": [r for r in runs if r.status == "done"], "a": a, "b": b}
    first, second = _run(request, viewer, a), _run(request, viewer, b)
    if first and second and first.result and second.result:
        chart, rows = sv.compare_chart(first.result, second.result)
        context |= {"first": first, "second": second, "chart": chart, "chart_rows": rows,
                    "rows": compare_runs(first.result, second.result),
                    "columns": sv.COMPARE_COLUMNS}  # fmt: skip
    elif a or b:
        context["error"] = "choose two finished runs"
    return render(request, "operator/simulation_compare.html", context)


@router.get("/compare.csv")
def compare_csv(request: Request, viewer: OperatorOnly, a: str = "", b: str = "") -> Response:
    first, second = _run(request, viewer, a), _run(request, viewer, b)
    if not (first and second and first.result and second.result):
        return not_found(request)
    rows = compare_runs(first.result, second.result)
    return csv_response(f"compare-{a[:8]}-{b[:8]}.csv", sv.COMPARE_COLUMNS, rows)


@router.get("/{run_id}")
def report_page(request: Request, viewer: OperatorOnly, run_id: str) -> Response:
    run = _run(request, viewer, run_id)
    if run is None:
        return not_found(request)
    context: dict[str, Any] = {"run": run, "progress": BOARD.get(run.id)}
    if run.result is not None:
        stages = list(run.result["stages"])
        context |= {"r": run.result, "charts": sv.report_charts(run.result),
                    "kpis": sv.kpi_rows(run.result), "stages": sv.stage_table(run.result),
                    "stage_kpis": sv.STAGE_KPIS, "hourly": sv.hourly_rows(run.result),
                    "hourly_columns": sv.hourly_columns(run.result),
                    "kpi_columns": sv.KPI_COLUMNS,
                    "queue_columns": ["hour", *(f"{s}.queue" for s in stages)],
                    "utilization_columns": ["hour", *(f"{s}.utilization" for s in stages)]}  # fmt: skip
    return render(request, "operator/simulation.html", context)


@router.get("/{run_id}/progress")
def progress_fragment(request: Request, viewer: OperatorOnly, run_id: str) -> Response:
    """The polled fragment: status and replications done; it stops polling once finished."""
    run = _run(request, viewer, run_id)
    if run is None:
        return not_found(request)
    return render(request, "operator/simulation_progress.html",
                  {"run": run, "progress": BOARD.get(run.id)})  # fmt: skip


@router.get("/{run_id}/hourly.csv")
def hourly_csv(request: Request, viewer: OperatorOnly, run_id: str) -> Response:
    run = _run(request, viewer, run_id)
    if run is None or run.result is None:
        return not_found(request)
    return csv_response(f"simulation-{run_id[:8]}-hourly.csv", sv.hourly_columns(run.result),
                        sv.hourly_rows(run.result))  # fmt: skip


@router.get("/{run_id}/kpis.csv")
def kpis_csv(request: Request, viewer: OperatorOnly, run_id: str) -> Response:
    run = _run(request, viewer, run_id)
    if run is None or run.result is None:
        return not_found(request)
    return csv_response(
        f"simulation-{run_id[:8]}-kpis.csv", sv.KPI_COLUMNS, sv.kpi_rows(run.result)
    )

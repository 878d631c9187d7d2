"""Capacity plans: the list, and one plan's load factor per departure, bottleneck
lanes, late and unserved parcels per commodity, candidates and savings, and the proof.

Every figure is the plan job's stored result, the JSON `GET /v1/plans/{id}` answers.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.db.planning.uow import SqlAlchemyPlanningUnitOfWork
from ewtp.domain.errors import NotFound
from ewtp.services.planning.jobs import get_plan_job, recent_plan_jobs
from ewtp.web.operator.charts import bar_chart
from ewtp.web.operator.common import OperatorOnly, csv_response
from ewtp.web.pages import CsrfDep, factory_of, not_found, render

__all__ = ["LOAD_COLUMNS", "load_rows", "router"]

router = APIRouter(prefix="/console/plans", include_in_schema=False, dependencies=[CsrfDep])
LOAD_COLUMNS = ["id", "service_id", "origin", "destination", "departure_utc", "kg",
                "capacity_kg", "load_factor"]  # fmt: skip


def _uow(request: Request) -> SqlAlchemyPlanningUnitOfWork:
    return SqlAlchemyPlanningUnitOfWork(factory_of(request))


def load_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """Open departures that carry something, in departure order."""
    return [
        {c: d[c] for c in LOAD_COLUMNS}
        for d in sorted(plan["departures"], key=lambda d: (d["departure_utc"], d["id"]))
        if d["open"] and d["kg"] > 0
    ]


@router.get("")
def plan_list(request: Request, viewer: OperatorOnly) -> Response:
    return render(request, "operator/plans.html", {"jobs": recent_plan_jobs(_uow(request))})


def _plan(request: Request, plan_id: str) -> Any:
    try:
        return get_plan_job(_uow(request), plan_id)
    except NotFound:
        return None


@router.get("/{plan_id}")
def plan_page(request: Request, plan_id: str, viewer: OperatorOnly) -> Response:
    job = _plan(request, plan_id)
    if job is None:
        return not_found(request)
    context: dict[str, Any] = {"job": job, "plan": job.result}
    if job.result is not None:
        rows = load_rows(job.result)
        context["rows"] = rows
        context["columns"] = LOAD_COLUMNS
        context["chart"] = bar_chart(
            [r["id"] for r in rows], {"load_factor": [r["load_factor"] for r in rows]},
            {"load_factor": "#0b62c4"},
        )  # fmt: skip
    return render(request, "operator/plan.html", context)


@router.get("/{plan_id}/loads.csv")
def loads_csv(request: Request, plan_id: str, viewer: OperatorOnly) -> Response:
    job = _plan(request, plan_id)
    if job is None or job.result is None:
        return not_found(request)
    return csv_response(f"plan-{plan_id}-loads.csv", LOAD_COLUMNS, load_rows(job.result))

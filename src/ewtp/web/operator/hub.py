"""Hub live: today's throughput per hour beside the same day last week, backlog, dwell,
cut-off misses, parcels at risk, the inbound forecast and today's sort plan.

The live part (`/console/hubs/{hub}/live`) is a fragment htmx polls every 15 s; the page
around it never reloads. Every figure is the hub API's JSON (`services/hub/views`), so
the page shows what `GET /v1/hubs/{hub}/kpis` answers for the same window.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.hub.uow import SqlAlchemyHubUnitOfWork
from ewtp.domain.errors import DomainError
from ewtp.services import hub as uc
from ewtp.services.hub import views
from ewtp.web.operator.charts import bar_chart
from ewtp.web.operator.common import OperatorOnly, csv_response
from ewtp.web.pages import CsrfDep, factory_of, render

__all__ = ["THROUGHPUT_COLUMNS", "router", "throughput_rows"]

router = APIRouter(prefix="/console/hubs", include_in_schema=False, dependencies=[CsrfDep])
THROUGHPUT_COLUMNS = ["hour_utc", "sorted_today", "sorted_last_week", "arrived_today",
                      "departed_today"]  # fmt: skip
COLOURS = {"sorted_today": "#0b62c4", "sorted_last_week": "#9bb8d9"}


def _uow(request: Request) -> SqlAlchemyHubUnitOfWork:
    return SqlAlchemyHubUnitOfWork(factory_of(request))


def windows(now: datetime) -> tuple[datetime, datetime, datetime, datetime]:
    """Today so far (UTC) and the whole of the same weekday a week earlier."""
    start = datetime.combine(now.date(), datetime.min.time(), tzinfo=UTC)
    return start, now, start - timedelta(days=7), start - timedelta(days=6)


def throughput_rows(today: dict[str, Any], last_week: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per UTC hour 00..23: sort decisions today and last week, scans today."""
    now = {row["hour_utc"][11:13]: row for row in today["throughput"]}
    then = {row["hour_utc"][11:13]: row for row in last_week["throughput"]}
    rows = []
    for hour in (f"{h:02d}" for h in range(24)):
        a, b = now.get(hour, {}), then.get(hour, {})
        rows.append({"hour_utc": f"{hour}:00", "sorted_today": a.get("decided", 0),
                     "sorted_last_week": b.get("decided", 0), "arrived_today": a.get("arrived", 0),
                     "departed_today": a.get("departed", 0)})  # fmt: skip
    return rows


def live_figures(request: Request, hub: str) -> dict[str, Any]:
    start, end, week_start, week_end = windows(utcnow())
    uow = _uow(request)
    today = views.kpis_view(uc.compute_hub_kpis(uow, hub, start, end))
    last_week = views.kpis_view(uc.compute_hub_kpis(uow, hub, week_start, week_end))
    rows = throughput_rows(today, last_week)
    chart = bar_chart(
        [r["hour_utc"][:2] for r in rows],
        {name: [float(r[name]) for r in rows] for name in COLOURS}, COLOURS,
    )  # fmt: skip
    return {"k": today, "rows": rows, "chart": chart, "columns": THROUGHPUT_COLUMNS,
            "updated": end}  # fmt: skip


@router.get("/{hub}")
def hub_page(request: Request, hub: str, viewer: OperatorOnly) -> Response:
    code = hub.upper()
    context: dict[str, Any] = {"hub": code, "error": None}
    try:
        context |= live_figures(request, code)
        day = utcnow().date()
        uow = _uow(request)
        context["inbound"] = views.inbound_view(uc.forecast_inbound(uow, code, day))
        plan = uc.build_sort_plan(uow, code, day)
        context["plan"] = views.plan_view(plan, uc.day_departures(uow, code, day))
    except DomainError as exc:
        context["error"] = exc.message
        return render(request, "operator/hub.html", context, status_code=404)
    return render(request, "operator/hub.html", context)


@router.get("/{hub}/live")
def hub_live(request: Request, hub: str, viewer: OperatorOnly) -> Response:
    """The polled fragment: throughput, backlog, dwell, misses and parcels at risk."""
    return render(
        request, "operator/hub_live.html", {"hub": hub.upper()} | live_figures(request, hub)
    )


@router.get("/{hub}/throughput.csv")
def throughput_csv(request: Request, hub: str, viewer: OperatorOnly) -> Response:
    figures = live_figures(request, hub)
    return csv_response(f"throughput-{hub.upper()}.csv", THROUGHPUT_COLUMNS, figures["rows"])

"""Tracking in the console: ingestion status (scans per minute, refusals with their
reasons, anomalies, parcels at risk) and search by tracking number.

The figures are `GET /v1/tracking/ingestion`'s (`services/tracking/ingestion_status`);
the live part is a fragment htmx re-fetches every 10 s, never the whole page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.tracking.ingestion import SqlAlchemyIngestionReader
from ewtp.domain.errors import DomainError
from ewtp.services.tracking.ingestion_status import ingestion_status, parcel_scans
from ewtp.web.known_messages import N_
from ewtp.web.operator.charts import bar_chart
from ewtp.web.operator.common import OperatorOnly, csv_response
from ewtp.web.pages import CsrfDep, factory_of, field_errors, render

__all__ = ["MINUTE_COLUMNS", "router"]

router = APIRouter(prefix="/console/tracking", include_in_schema=False, dependencies=[CsrfDep])
MINUTE_COLUMNS = ["minute_utc", "accepted", "rejected"]
COLOURS = {"accepted": "#0b62c4", "rejected": "#b3261e"}
MINUTES = 60
# Reasons the tracking use cases give that this page shows translated (extraction only).
REASONS = (N_("enter a tracking number"),)


def _reader(request: Request) -> SqlAlchemyIngestionReader:
    return SqlAlchemyIngestionReader(factory_of(request))


def live_figures(request: Request) -> dict[str, Any]:
    status = ingestion_status(_reader(request), utcnow(), MINUTES)
    rows = [{"minute_utc": m["minute"][:16].replace("T", " "), "accepted": m["accepted"],
             "rejected": m["rejected"]} for m in status["minutes"]]  # fmt: skip
    chart = bar_chart(
        [r["minute_utc"][11:] for r in rows],
        {name: [float(r[name]) for r in rows] for name in COLOURS}, COLOURS,
    )  # fmt: skip
    return {"s": status, "rows": rows, "chart": chart, "columns": MINUTE_COLUMNS}


@router.get("")
def tracking_page(request: Request, viewer: OperatorOnly) -> Response:
    number = (request.query_params.get("number") or "").strip()
    context: dict[str, Any] = {"number": number, "parcel": None, "errors": {}}
    context |= live_figures(request)
    status = 200
    if "number" in request.query_params:
        try:
            context["parcel"] = parcel_scans(_reader(request), number)
        except DomainError as exc:
            context["errors"] = field_errors(exc)
            status = 422
    return render(request, "operator/tracking.html", context, status_code=status)


@router.get("/live")
def tracking_live(request: Request, viewer: OperatorOnly) -> Response:
    """The polled fragment: scans per minute, refusals, anomalies, parcels at risk."""
    return render(request, "operator/tracking_live.html", live_figures(request))


@router.get("/scans-per-minute.csv")
def minutes_csv(request: Request, viewer: OperatorOnly) -> Response:
    return csv_response("scans-per-minute.csv", MINUTE_COLUMNS, live_figures(request)["rows"])

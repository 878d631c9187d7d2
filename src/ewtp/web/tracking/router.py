"""The public tracking pages: a search form at /track and one parcel at /track/{number}.

They show what `GET /v1/track/{number}` answers (`http/public_tracking.py`), nothing more.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ewtp.adapters.network.hub_cities import hub_city
from ewtp.domain.errors import DomainError
from ewtp.http.public_tracking import public_view
from ewtp.http.tracking import RouteEtaDep, TrackingUowDep
from ewtp.services.tracking.track_shipment import track_shipment

__all__ = ["STATIC", "router"]

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = Jinja2Templates(directory=HERE / "templates")

router = APIRouter(tags=["public tracking"], include_in_schema=False)


@router.get("/track", response_class=HTMLResponse)
def track_search(request: Request, number: str | None = Query(default=None)) -> Response:
    if number:
        clean = number.strip().upper().replace(" ", "")
        return RedirectResponse(f"/track/{clean}", status_code=303)
    return TEMPLATES.TemplateResponse(request, "track_search.html", {"error": None, "number": ""})


@router.get("/track/{tracking_number}", response_class=HTMLResponse)
def track_page(
    request: Request, tracking_number: str, uow: TrackingUowDep, eta: RouteEtaDep
) -> Response:
    try:
        view = public_view(track_shipment(uow, number=tracking_number, eta=eta, city=hub_city))
    except DomainError as exc:
        status = 404 if exc.code == "not_found" else 422
        context = {"error": exc.message, "number": tracking_number}
        return TEMPLATES.TemplateResponse(request, "track_search.html", context, status_code=status)
    return TEMPLATES.TemplateResponse(request, "track.html", {"t": view})

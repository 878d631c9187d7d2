"""The network map: hubs and lanes on a server-projected world, lanes coloured by mode
and as thick as their weekly frequency; a hub's services and a lane's departures."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ewtp.adapters.clock import utcnow
from ewtp.services.network import views
from ewtp.services.network.coverage import export_connections
from ewtp.web.operator.common import OperatorOnly, csv_response, network_uow
from ewtp.web.operator.geo import EUROPE, WORLD, Extent, project, world_path
from ewtp.web.pages import CsrfDep, not_found, render

__all__ = ["LANE_COLUMNS", "lanes", "router"]

router = APIRouter(prefix="/console", include_in_schema=False, dependencies=[CsrfDep])
LANE_COLUMNS = ["origin", "destination", "mode", "departures_per_week", "capacity_kg_per_week"]
MODE_COLOURS = {"air": "#0b62c4", "rail": "#b3261e", "road": "#2e7d32"}


def this_monday() -> date:
    today = utcnow().date()
    return today - timedelta(days=today.weekday())


def lanes(connections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One lane per (origin, destination, mode): its departures and capacity this week."""
    grouped: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in connections:
        grouped[(c["origin"], c["destination"], c["mode"])].append(c)
    return [
        {
            "origin": o,
            "destination": d,
            "mode": m,
            "departures_per_week": len(found),
            "capacity_kg_per_week": str(sum(int(float(c["capacity_kg"])) for c in found)),
        }
        for (o, d, m), found in sorted(grouped.items())
    ]


def week_connections(request: Request, monday: date) -> list[dict[str, Any]]:
    return [views.connection(c) for c in export_connections(network_uow(request), monday, 7)]


@router.get("")
def console_home(viewer: OperatorOnly) -> Response:
    return RedirectResponse("/console/network", status_code=303)


def drawing(
    extent: Extent, hubs: list[dict[str, Any]], week: list[dict[str, Any]]
) -> dict[str, Any]:
    """Hubs and lanes projected into one map window."""
    at = {h["code"]: project(h["lon"], h["lat"], extent) for h in hubs}
    drawn = []
    for lane in lanes(week):
        (x1, y1), (x2, y2) = at[lane["origin"]], at[lane["destination"]]
        # a slight bend, so a lane and its return are two strokes, not one
        mx, my = (x1 + x2) / 2 + (y2 - y1) * 0.08, (y1 + y2) / 2 - (x2 - x1) * 0.08
        width = min(8.0, 1.0 + lane["departures_per_week"] / 3)
        drawn.append(
            lane | {"d": f"M{x1},{y1} Q{mx:.1f},{my:.1f} {x2},{y2}", "width": round(width, 1),
                    "colour": MODE_COLOURS.get(lane["mode"], "#555")}
        )  # fmt: skip
    inside = [
        h | {"x": at[h["code"]][0], "y": at[h["code"]][1]}
        for h in hubs
        if 0 <= at[h["code"]][0] <= extent.width and 0 <= at[h["code"]][1] <= extent.height
    ]
    return {"hubs": inside, "lanes": drawn, "world": world_path(extent),
            "width": extent.width, "height": extent.height}  # fmt: skip


@router.get("/network")
def network_map(request: Request, viewer: OperatorOnly) -> Response:
    monday = this_monday()
    hubs = views.hubs(network_uow(request))
    week = week_connections(request, monday)
    context = {
        "maps": [("world", drawing(WORLD, hubs, week)), ("europe", drawing(EUROPE, hubs, week))],
        "lanes": lanes(week), "hubs": hubs, "modes": MODE_COLOURS, "monday": monday,
    }  # fmt: skip
    return render(request, "operator/network.html", context)


@router.get("/network/lanes.csv")
def lanes_csv(request: Request, viewer: OperatorOnly) -> Response:
    monday = this_monday()
    return csv_response(
        f"lanes-{monday}.csv", LANE_COLUMNS, lanes(week_connections(request, monday))
    )


@router.get("/network/hubs/{code}")
def hub_detail(request: Request, code: str, viewer: OperatorOnly) -> Response:
    uow = network_uow(request)
    hub = next((h for h in views.hubs(uow) if h["code"] == code.upper()), None)
    if hub is None:
        return not_found(request)
    services = [s for s in views.services(uow) if hub["code"] in (s["origin"], s["destination"])]
    monday = this_monday()
    connected = [
        lane for lane in lanes(week_connections(request, monday))
        if hub["code"] in (lane["origin"], lane["destination"])
    ]  # fmt: skip
    context = {"hub": hub, "services": services, "connected": connected}
    template = "operator/hub_detail.html" if _htmx(request) else "operator/hub_page.html"
    return render(request, template, context)


@router.get("/network/lanes/{origin}/{destination}/{mode}")
def lane_detail(
    request: Request, origin: str, destination: str, mode: str, viewer: OperatorOnly
) -> Response:
    monday = this_monday()
    key = (origin.upper(), destination.upper(), mode.lower())
    departures = [
        c for c in week_connections(request, monday)
        if (c["origin"], c["destination"], c["mode"]) == key
    ]  # fmt: skip
    if not departures:
        return not_found(request)
    context = {"lane": key, "departures": departures, "monday": monday}
    template = "operator/lane_detail.html" if _htmx(request) else "operator/lane_page.html"
    return render(request, template, context)


def _htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"

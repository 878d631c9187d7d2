"""Use cases of hub operations: model, sort plan, sort decisions, inbound, KPIs."""

from __future__ import annotations

from ewtp.services.hub.context import SortContext, sort_context
from ewtp.services.hub.decisions import MAX_SCANS, Scan, decide_sorts
from ewtp.services.hub.inbound import forecast_inbound
from ewtp.services.hub.kpis import compute_hub_kpis, decided_per_hour
from ewtp.services.hub.show import load_hub, show_hub
from ewtp.services.hub.sortplan import build_sort_plan, day_departures

__all__ = [
    "MAX_SCANS",
    "Scan",
    "SortContext",
    "build_sort_plan",
    "compute_hub_kpis",
    "day_departures",
    "decide_sorts",
    "decided_per_hour",
    "forecast_inbound",
    "load_hub",
    "show_hub",
    "sort_context",
]

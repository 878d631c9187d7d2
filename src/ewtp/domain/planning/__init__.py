"""Capacity planning: a week's forecast on the timetable's departures (a min-cost
multicommodity flow on a time-expanded network, with candidate capacity as binaries)."""

from ewtp.domain.planning.commodities import Commodity, Source, aggregate
from ewtp.domain.planning.departures import Candidate, Departure, HubLimit
from ewtp.domain.planning.expansion import PlanModel, build_model
from ewtp.domain.planning.forecast import ForecastRow, parse_forecast, week_bounds
from ewtp.domain.planning.parameters import PROMISES, PlanParameters
from ewtp.domain.planning.readout import Solution, read_plan
from ewtp.domain.planning.results import Plan

__all__ = [
    "PROMISES",
    "Candidate",
    "Commodity",
    "Departure",
    "ForecastRow",
    "HubLimit",
    "Plan",
    "PlanModel",
    "PlanParameters",
    "Solution",
    "Source",
    "aggregate",
    "build_model",
    "parse_forecast",
    "read_plan",
    "week_bounds",
]

"""Hub operations, pure: the hub model, the sort plan and the real-time sort decision.

The peak simulation reuses exactly these: build a `HubModel` (`build_hub_model`), a
`DepartureTable` from the exported connections, a `SortPlan` (`build_sort_plan`), and
call `decide` (or a bound `Sorter`) per scanned parcel. See docs/hub.md.
"""

from __future__ import annotations

from ewtp.domain.hub.decide import Parcel, ParcelState, Reason, SortDecision, Sorter, decide
from ewtp.domain.hub.departures import Departure, DepartureFinder, DepartureTable, Onward
from ewtp.domain.hub.model import (
    CHUTE_RESOURCES,
    HubModel,
    HubParameters,
    HubTimes,
    Resource,
    ResourceRow,
    Shift,
)
from ewtp.domain.hub.parse import FILES, Row, build_hub_model
from ewtp.domain.hub.plan import (
    PlannedDeparture,
    SortPlan,
    SpecialChutes,
    build_sort_plan,
    departure_key,
    special_chutes,
)
from ewtp.domain.hub.selection import Selector, selected_for_inspection

__all__ = [
    "CHUTE_RESOURCES",
    "FILES",
    "Departure",
    "DepartureFinder",
    "DepartureTable",
    "HubModel",
    "HubParameters",
    "HubTimes",
    "Onward",
    "Parcel",
    "ParcelState",
    "PlannedDeparture",
    "Reason",
    "Resource",
    "ResourceRow",
    "Row",
    "Selector",
    "Shift",
    "SortDecision",
    "SortPlan",
    "Sorter",
    "SpecialChutes",
    "build_hub_model",
    "build_sort_plan",
    "decide",
    "departure_key",
    "selected_for_inspection",
    "special_chutes",
]

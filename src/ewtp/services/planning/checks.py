"""`check_plan_input`: judge a plan request before it is queued, so bad rows are a 422.

The background job would otherwise fail later with the same message; checking first
means a planner sees the row and field at once and no job is stored for a bad request.
"""

from __future__ import annotations

from datetime import timedelta

from ewtp.domain.planning.departures import parse_candidates
from ewtp.domain.planning.forecast import week_bounds
from ewtp.services.network.ports import NetworkUnitOfWork, require_snapshot
from ewtp.services.planning.capacity import PlanInput, parse_input

__all__ = ["check_plan_input"]


def check_plan_input(uow: NetworkUnitOfWork, request: PlanInput) -> int:
    """Raise `InvalidInput` on the first bad row; return the number of forecast rows."""
    snap = require_snapshot(uow)
    rows, candidates = parse_input(snap, request)
    start, end = week_bounds(request.week)
    parse_candidates(
        candidates, (h.code for h in snap.hubs), start,
        end + timedelta(days=request.params.horizon_days),
        where=request.candidates_name, first=request.first,
    )  # fmt: skip
    return len(rows)

"""Use case: the hub's KPIs over [from, to) from its scans and its decision log."""

from __future__ import annotations

from datetime import datetime, timedelta

from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub.kpis import HubKpis, kpis_from_counts
from ewtp.services.hub.context import require_hub
from ewtp.services.hub.ports import HubUnitOfWork
from ewtp.services.network.routing import compiled_network, require_aware

__all__ = ["LOOKBACK", "MAX_WINDOW", "compute_hub_kpis", "decided_per_hour"]

#: Arrivals this long before `from` still count for dwell and backlog.
LOOKBACK = timedelta(days=7)
MAX_WINDOW = timedelta(days=31)


def _window(
    uow: HubUnitOfWork, hub: str, start: datetime, end: datetime
) -> tuple[str, datetime, datetime]:
    start = require_aware(start, "from")
    end = require_aware(end, "to")
    if end <= start:
        raise InvalidInput("must be after from", field="to")
    if end - start > MAX_WINDOW:
        raise InvalidInput(f"the window must not exceed {MAX_WINDOW.days} days", field="to")
    return require_hub(compiled_network(uow), hub), start, end


def compute_hub_kpis(uow: HubUnitOfWork, hub: str, start: datetime, end: datetime) -> HubKpis:
    code, start, end = _window(uow, hub, start, end)
    with uow:
        scans = uow.scans.at_hub(code, start - LOOKBACK, end)
        decided = uow.decisions.decided_per_hour(code, start, end)
        misses = uow.decisions.misses(code, start, end)
        backlog = {s.tracking_number for s in scans}
        latest = uow.decisions.latest(code, sorted(backlog))
    return kpis_from_counts(code, start, end, scans, decided, misses, latest)


def decided_per_hour(
    uow: HubUnitOfWork, hub: str, start: datetime, end: datetime
) -> dict[datetime, int]:
    """Only the decisions per UTC hour of [from, to): the KPIs' `decided` column, for a
    chart of a past day that needs nothing else."""
    code, start, end = _window(uow, hub, start, end)
    with uow:
        return uow.decisions.decided_per_hour(code, start, end)

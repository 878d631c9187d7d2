"""Use case: the stored network as a GTFS feed for a range of local departure dates."""

from __future__ import annotations

from datetime import date

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.gtfs import GtfsFeed, gtfs_feed
from ewtp.services.network.ports import NetworkUnitOfWork, require_snapshot

__all__ = ["MAX_GTFS_DAYS", "export_gtfs"]

MAX_GTFS_DAYS = 366


def export_gtfs(uow: NetworkUnitOfWork, start: date, days: int) -> GtfsFeed:
    """Every departure on local dates [start, start + days), as GTFS tables."""
    if not 1 <= days <= MAX_GTFS_DAYS:
        raise InvalidInput(f"must be within 1..{MAX_GTFS_DAYS}", field="days")
    return gtfs_feed(require_snapshot(uow), start, days)

"""Stored scan rows back into domain scans, for every repository that reads them."""

from __future__ import annotations

from typing import Any

from ewtp.domain.tracking.timeline import Milestone, ScanEvent

__all__ = ["MILESTONE_OF", "scan_event"]

# Enum construction is a Python-level call; a plain dict is far cheaper per row.
MILESTONE_OF = {m.value: m for m in Milestone}


def scan_event(row: Any) -> ScanEvent:
    """A `ScanEvent` from anything with the columns of `tracking_events`."""
    return ScanEvent(
        tracking_number=row.tracking_number,
        code=row.code,
        milestone=MILESTONE_OF[row.milestone],
        reason=row.reason,
        occurred_at=row.occurred_at,
        hub=row.hub,
        description=row.description,
        source_event_id=row.source_event_id,
    )

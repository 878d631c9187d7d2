"""Small builders and in-memory fakes for tracking tests."""

from __future__ import annotations

from datetime import timedelta

from ewtp.domain.tracking.timeline import ScanEvent, lookup_code
from unit.tracking.strategies import NUMBER, START


def event(code: str, hour: float, hub: str, source: str | None = None) -> ScanEvent:
    """A scan of the test parcel `hour` hours after the stream start."""
    found = lookup_code(code)
    return ScanEvent(
        tracking_number=NUMBER,
        code=found.code,
        milestone=found.milestone,
        reason=found.reason,
        occurred_at=START + timedelta(hours=hour),
        hub=hub,
        source_event_id=source,
    )

"""Hypothesis strategies: random scan streams of one parcel, with their replays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from ewtp.domain.tracking.timeline import SCAN_CODES, ScanEvent

NUMBER = "LP000000014CN"
START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
HUBS = ("HGH", "CGO", "LGG", "FRA")


@st.composite
def scan_events(draw: st.DrawFn) -> ScanEvent:
    code = draw(st.sampled_from(SCAN_CODES))
    minutes = draw(st.integers(min_value=0, max_value=72 * 60))
    # Few distinct times, so equal times (tie-breaks) are common.
    minutes -= minutes % draw(st.sampled_from((1, 60, 600)))
    return ScanEvent(
        tracking_number=NUMBER,
        code=code.code,
        milestone=code.milestone,
        reason=code.reason,
        occurred_at=START + timedelta(minutes=minutes),
        hub=draw(st.sampled_from(HUBS)),
        description=None,
        source_event_id=draw(st.none() | st.sampled_from(("a", "b", "c", "d", "e"))),
    )


def streams(max_size: int = 25) -> st.SearchStrategy[list[ScanEvent]]:
    return st.lists(scan_events(), max_size=max_size)


def canonical(events: list[ScanEvent]) -> list[ScanEvent]:
    """Drop events that another event with the same dedup identity precedes in `events`.

    Real ingestion keeps the first arrival of a source id; the property tests use streams
    whose colliding events are exact copies, so which copy survives does not matter.
    """
    seen: dict[object, ScanEvent] = {}
    for e in events:
        key = ("s", e.source_event_id) if e.source_event_id else (e.code, e.occurred_at, e.hub)
        seen.setdefault(key, e)
    return list(seen.values())

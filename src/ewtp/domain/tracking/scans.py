"""Scan validation: one event as a client sent it becomes a `ScanEvent`, or is refused.

Every path validates the same way: the HTTP batch and, for rows the polars validator
cannot judge exactly, the file import (`adapters/polars/tracking_scans/validate.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from ewtp.domain.errors import InvalidInput
from ewtp.domain.s10 import S10_PATTERN, check_digit, validate_s10
from ewtp.domain.tracking.timeline import ScanEvent, lookup_code

__all__ = ["HUB", "RawEvent", "Rejection", "to_scan_event"]

# Two letters are a destination country, the hub of a final-mile scan
# (`services/tracking/scan_checks`).
HUB = re.compile(r"^[A-Z0-9]{2,8}$")


@dataclass(frozen=True, slots=True)
class RawEvent:
    """An event as a client sent it, before validation."""

    tracking_number: str
    code: str
    occurred_at: datetime | str
    hub: str
    description: str | None = None
    source_event_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rejection:
    """One refused event; `code` is stable for scripts: invalid, unknown_tracking_number,
    unknown_hub, in_future or cancelled."""

    index: int
    tracking_number: str
    field: str
    reason: str
    code: str = "invalid"


def to_scan_event(raw: RawEvent) -> ScanEvent:
    """Validate one event, raising InvalidInput naming the first bad field."""
    number = _s10(raw.tracking_number)
    code = lookup_code(raw.code)
    occurred_at = _time(raw.occurred_at)
    hub = _hub(raw.hub)
    source = raw.source_event_id.strip() if raw.source_event_id else None
    if source is not None and len(source) > 100:
        raise InvalidInput("must be at most 100 characters", field="source_event_id")
    return ScanEvent(
        tracking_number=number,
        code=code.code,
        milestone=code.milestone,
        reason=code.reason,
        occurred_at=occurred_at,
        hub=hub,
        description=(raw.description or "")[:300] or None,
        source_event_id=source or None,
    )


def _s10(value: str) -> str:
    """`validate_s10`, without normalizing for the (overwhelming) valid case."""
    valid = S10_PATTERN.fullmatch(value) and check_digit(value[2:10]) == ord(value[10]) - 48
    if value.isascii() and valid:
        return value
    return validate_s10(value)  # normalizes, or names the exact problem


@lru_cache(maxsize=4096)
def _hub(value: str) -> str:
    """A normalized hub code; a scan batch names few hubs, so the answer is cached."""
    hub = value.strip().upper()
    if not HUB.match(hub):
        raise InvalidInput("must be a hub code of 2 to 8 letters or digits", field="hub")
    return hub


def _time(value: datetime | str) -> datetime:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise InvalidInput(
                "must be an ISO 8601 time, e.g. 2026-11-22T09:00:00Z", field="occurred_at"
            ) from exc
    if value.tzinfo is None:
        raise InvalidInput(
            "must include a UTC offset, e.g. 2026-11-22T09:00:00Z", field="occurred_at"
        )
    return value.astimezone(UTC)

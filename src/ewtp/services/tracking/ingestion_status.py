"""Use case: how scan ingestion is going, for the operator console and its API.

Scans per minute by arrival (`received_at`), accepted (stored) beside rejected, over the
last hour; the latest refusals with their reasons; the latest anomalies (a scan the
lifecycle forbids, stored and flagged) and the parcels whose promise is at risk; and one
parcel's scans by tracking number. Reads only: nothing here writes.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ewtp.domain.errors import InvalidInput

__all__ = [
    "LOOKBACK",
    "MAX_MINUTES",
    "AbstractIngestionReader",
    "Anomaly",
    "AtRisk",
    "MinuteCount",
    "ParcelScans",
    "RejectedScan",
    "ingestion_status",
    "minute_rows",
    "parcel_scans",
]

MAX_MINUTES = 24 * 60
LOOKBACK = timedelta(hours=24)  # refusals and anomalies listed: those of the last day


@dataclass(frozen=True, slots=True)
class MinuteCount:
    minute: datetime  # the start of the minute, UTC
    accepted: int
    rejected: int


@dataclass(frozen=True, slots=True)
class RejectedScan:
    received_at: datetime
    tracking_number: str
    field: str
    code: str
    reason: str


@dataclass(frozen=True, slots=True)
class Anomaly:
    received_at: datetime
    tracking_number: str
    code: str
    hub: str
    occurred_at: datetime
    anomaly: str


@dataclass(frozen=True, slots=True)
class AtRisk:
    tracking_number: str
    promised_by: datetime | None
    eta_at: datetime | None
    eta_from_hub: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ParcelScans:
    tracking_number: str
    status: str | None  # None: no such parcel
    promise_at_risk: bool
    events: list[dict[str, Any]]
    rejected: list[RejectedScan]


class AbstractIngestionReader(abc.ABC):
    @abc.abstractmethod
    def counts(self, since: datetime, until: datetime) -> dict[datetime, tuple[int, int]]:
        """Minute start -> (scans stored, scans refused) received in [since, until)."""

    @abc.abstractmethod
    def rejections(self, since: datetime, limit: int) -> list[RejectedScan]:
        """Refusals received since `since`, newest first."""

    @abc.abstractmethod
    def anomalies(self, since: datetime, limit: int) -> list[Anomaly]:
        """Flagged scans received since `since`, newest first."""

    @abc.abstractmethod
    def at_risk(self, limit: int) -> list[AtRisk]:
        """Parcels flagged promise_at_risk, most recently flagged first."""

    @abc.abstractmethod
    def parcel(self, tracking_number: str) -> ParcelScans: ...


def minute_rows(reader: AbstractIngestionReader, now: datetime, minutes: int) -> list[MinuteCount]:
    """One row per minute of the last `minutes` (the current minute included), zeros kept."""
    if not 1 <= minutes <= MAX_MINUTES:
        raise InvalidInput(f"must be between 1 and {MAX_MINUTES}", field="minutes")
    last = now.replace(second=0, microsecond=0)
    first = last - timedelta(minutes=minutes - 1)
    found = reader.counts(first, last + timedelta(minutes=1))
    return [
        MinuteCount(at, *found.get(at, (0, 0)))
        for at in (first + timedelta(minutes=i) for i in range(minutes))
    ]


def ingestion_status(
    reader: AbstractIngestionReader, now: datetime, minutes: int = 60, limit: int = 50
) -> dict[str, Any]:
    """Everything the ingestion page shows, as JSON-ready data (the API answers it)."""
    rows = minute_rows(reader, now, minutes)
    return {
        "as_of": now.isoformat(),
        "minutes": [
            {"minute": r.minute.isoformat(), "accepted": r.accepted, "rejected": r.rejected}
            for r in rows
        ],
        "accepted": sum(r.accepted for r in rows),
        "rejected": sum(r.rejected for r in rows),
        "rejections": [_json(r) for r in reader.rejections(now - LOOKBACK, limit)],
        "anomalies": [_json(a) for a in reader.anomalies(now - LOOKBACK, limit)],
        "at_risk": [_json(a) for a in reader.at_risk(limit)],
    }


def parcel_scans(reader: AbstractIngestionReader, tracking_number: str) -> ParcelScans:
    number = tracking_number.strip().upper()
    if not number:
        raise InvalidInput("enter a tracking number", field="number")
    return reader.parcel(number)


def _json(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in row.__dataclass_fields__:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, datetime) else value
    return out

"""Schema of `GET /v1/tracking/ingestion`: scans per minute, refusals, anomalies, risk."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

__all__ = ["IngestionPublic"]


class MinutePublic(BaseModel):
    minute: datetime  # start of the minute, UTC
    accepted: int  # scans stored that arrived in this minute
    rejected: int  # scans refused that arrived in this minute


class RejectedScanPublic(BaseModel):
    received_at: datetime
    tracking_number: str  # as sent, possibly not a valid number
    field: str
    code: str
    reason: str


class AnomalyPublic(BaseModel):
    received_at: datetime
    tracking_number: str
    code: str
    hub: str
    occurred_at: datetime
    anomaly: str


class AtRiskPublic(BaseModel):
    tracking_number: str
    promised_by: datetime | None
    eta_at: datetime | None
    eta_from_hub: str | None
    updated_at: datetime


class IngestionPublic(BaseModel):
    as_of: datetime
    minutes: list[MinutePublic]
    accepted: int
    rejected: int
    rejections: list[RejectedScanPublic]
    anomalies: list[AnomalyPublic]
    at_risk: list[AtRiskPublic]

"""Tables of the network: hubs, scheduled services, delivery zones, and its version.

Decimals are stored as text so SQLite and PostgreSQL give back exactly what was written.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ewtp.adapters.db.base import Base
from ewtp.adapters.db.types import UtcDateTime

__all__ = ["HubRow", "NetworkMetaRow", "ServiceRow", "ZoneRow"]


class NetworkMetaRow(Base):
    __tablename__ = "network_meta"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class HubRow(Base):
    __tablename__ = "network_hubs"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    timezone: Mapped[str] = mapped_column(String(64))
    min_connection_minutes: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)


class ServiceRow(Base):
    __tablename__ = "network_services"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    mode: Mapped[str] = mapped_column(String(8))
    origin: Mapped[str] = mapped_column(String(8), index=True)
    destination: Mapped[str] = mapped_column(String(8))
    days: Mapped[str] = mapped_column(String(7))
    departure_local: Mapped[str] = mapped_column(String(5))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    capacity_kg: Mapped[str] = mapped_column(String(24))
    capacity_m3: Mapped[str] = mapped_column(String(24))
    cost_per_kg: Mapped[str] = mapped_column(String(24))
    co2_kg_per_kg: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(Text)


class ZoneRow(Base):
    __tablename__ = "network_zones"

    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    hub: Mapped[str] = mapped_column(String(8))
    last_mile_hours: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(Text)

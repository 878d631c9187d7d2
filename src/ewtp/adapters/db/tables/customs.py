"""Customs tables: CBEC buyer usage, loaded ECB rates, operator fees and tariff lines, jobs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ewtp.adapters.db.base import Base
from ewtp.adapters.db.types import UtcDateTime

__all__ = [
    "CbecUsageRow",
    "CustomsFeeRow",
    "FeeAuditRow",
    "FxRateRow",
    "FxTableRateRow",
    "ManifestJobRow",
    "TariffLineRow",
]


class CbecUsageRow(Base):
    """A buyer's CBEC purchases in one calendar year (duty-paid prices, CNY)."""

    __tablename__ = "customs_cbec_usage"

    buyer_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    used_cny: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FxRateRow(Base):
    """An ECB reference rate loaded with `ewtp fx load` (wins over the bundled copy)."""

    __tablename__ = "customs_fx_rates"

    rate_date: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(18, 6))
    source: Mapped[str] = mapped_column(String(200))


class FxTableRateRow(Base):
    """A rate of a CN customs (`cn-customs`) or national (`national-RO`) table: units of
    the home currency per unit of `currency`, as published on `rate_date`."""

    __tablename__ = "customs_fx_table_rates"

    table_name: Mapped[str] = mapped_column(String(20), primary_key=True)
    rate_date: Mapped[date] = mapped_column(Date, primary_key=True)
    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(24, 10))
    source: Mapped[str] = mapped_column(String(200))


class CustomsFeeRow(Base):
    """A national handling fee row added by an operator."""

    __tablename__ = "customs_fees"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    country: Mapped[str] = mapped_column(String(2), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 4))
    currency: Mapped[str] = mapped_column(String(3))
    per: Mapped[str] = mapped_column(String(10))
    lvc_only: Mapped[bool] = mapped_column(Boolean)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text)


class TariffLineRow(Base):
    """An ad valorem duty rate loaded from a TARIC extract."""

    __tablename__ = "customs_tariff_lines"

    hs6: Mapped[str] = mapped_column(String(6), primary_key=True)
    valid_from: Mapped[date] = mapped_column(Date, primary_key=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    rate: Mapped[Decimal] = mapped_column(Numeric(8, 3))
    description: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)


class ManifestJobRow(Base):
    """A bulk manifest assessment job and where its result file is."""

    __tablename__ = "customs_manifest_jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(36), index=True)
    status: Mapped[str] = mapped_column(String(10))
    input_path: Mapped[str] = mapped_column(Text)
    result_path: Mapped[str] = mapped_column(Text)
    consignments: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    rows_done: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rows_total: Mapped[int | None] = mapped_column(Integer, nullable=True)


class FeeAuditRow(Base):
    """Who added or ended an operator fee row, when, and what the row said (never edited)."""

    __tablename__ = "customs_fee_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    account_id: Mapped[str] = mapped_column(String(36))
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(10))
    fee_id: Mapped[int] = mapped_column(Integer, index=True)
    detail: Mapped[str] = mapped_column(Text)

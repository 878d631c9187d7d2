"""Tables of the merchant platform: quotes, idempotency keys, shipment details, S10 counters.

Shipment details extend the shared `shipments` row one-to-one, so tracking and webhooks
keep reading the core row while the merchant API keeps its request, label and customs.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ewtp.adapters.db.base import Base
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.types import UtcDateTime

__all__ = [
    "IdempotencyKeyRow",
    "QuoteOptionRow",
    "QuoteRow",
    "S10CounterRow",
    "ShipmentDetailRow",
]


class QuoteRow(Base):
    __tablename__ = "merchant_quotes"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    origin_hub: Mapped[str] = mapped_column(String(8))
    ready_at: Mapped[datetime] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())


class QuoteOptionRow(Base):
    __tablename__ = "merchant_quote_options"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    quote_id: Mapped[str] = mapped_column(ForeignKey("merchant_quotes.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    # Lets the unit of work insert the quote before its options, with no early flush.
    quote: Mapped[QuoteRow] = relationship(lazy="raise")


class IdempotencyKeyRow(Base):
    """One row per (account, key): the primary key is what makes duplicates impossible."""

    __tablename__ = "merchant_idempotency_keys"

    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    body: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)


class ShipmentDetailRow(Base):
    __tablename__ = "merchant_shipment_details"

    shipment_id: Mapped[str] = mapped_column(ForeignKey("shipments.id"), primary_key=True)
    request: Mapped[dict[str, Any]] = mapped_column(JSON)
    reference: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    quote_option_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    option: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    booked_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    customs: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), nullable=True)
    label_pdf: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)

    # Lets the unit of work insert the core row before this one.
    shipment: Mapped[ShipmentRow] = relationship(lazy="raise")


class S10CounterRow(Base):
    """The last S10 serial handed out per service indicator and country."""

    __tablename__ = "merchant_s10_counters"

    indicator: Mapped[str] = mapped_column(String(2), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    last_serial: Mapped[int] = mapped_column(Integer)

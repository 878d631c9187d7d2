"""Ports of the merchant platform: its storage, and the engines it consults.

The route engine, the customs engine and the label renderer are reached through these
narrow interfaces, so the use cases run against fakes in tests and against the real
engines (`adapters/merchant/engines.py`) in the application.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.idempotency import IdempotencyRecord
from ewtp.domain.merchant.quotes import Notice, Quote, QuoteOption, RouteOption, Taxes
from ewtp.domain.merchant.shipments import ShipmentRequest
from ewtp.services.accounts import AccountsUnitOfWork
from ewtp.services.customs.ports import AbstractCbecUsageRepository
from ewtp.services.webhooks.outbox import AbstractOutbox

__all__ = [
    "AbstractCustomsEngine",
    "AbstractIdempotencyStore",
    "AbstractLabelRenderer",
    "AbstractQuoteRepository",
    "AbstractRoutePlanner",
    "AbstractSerialAllocator",
    "AbstractShipmentRepository",
    "BookingCustoms",
    "CbecCharge",
    "MerchantUnitOfWork",
]


class AbstractShipmentRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, shipment: Shipment) -> None: ...

    @abc.abstractmethod
    def get(self, account_id: str, shipment_id: str) -> Shipment | None:
        """The shipment if it exists AND belongs to the account, else None."""

    @abc.abstractmethod
    def update(self, shipment: Shipment, label_pdf: bytes | None = None) -> None: ...

    @abc.abstractmethod
    def claim(
        self,
        account_id: str,
        shipment_id: str,
        expected: ShipmentStatus,
        to: ShipmentStatus,
        now: datetime,
    ) -> ShipmentStatus | None:
        """Compare-and-set the status: `expected` becomes `to` in one conditional write.

        None when this call made the change (the row is then held until the transaction
        ends); otherwise the status found, and nothing was written. Of concurrent claims on
        one shipment exactly one wins, whatever the isolation level.
        """

    @abc.abstractmethod
    def label(self, account_id: str, shipment_id: str) -> bytes | None: ...

    @abc.abstractmethod
    def list(
        self,
        account_id: str,
        *,
        status: ShipmentStatus | None,
        created_from: datetime | None,
        created_to: datetime | None,
        after: tuple[datetime, str] | None,
        limit: int,
        tracking_number: str | None = None,
        reference: str | None = None,
    ) -> list[Shipment]:
        """Newest first, ordered by (created_at, id) descending, strictly after `after`;
        `tracking_number` and `reference` (the merchant's own reference) match exactly."""


class AbstractQuoteRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, quote: Quote) -> None: ...

    def add_all(self, quotes: Sequence[Quote]) -> None:
        """Add several quotes in this transaction (adapters may batch the writes)."""
        for quote in quotes:
            self.add(quote)

    @abc.abstractmethod
    def get(self, account_id: str, quote_id: str) -> Quote | None: ...

    @abc.abstractmethod
    def get_by_option(self, account_id: str, option_id: str) -> Quote | None: ...


class AbstractSerialAllocator(abc.ABC):
    @abc.abstractmethod
    def next_serial(self, indicator: str, country: str) -> int:
        """A serial never handed out before for this indicator and country."""


class AbstractIdempotencyStore(abc.ABC):
    @abc.abstractmethod
    def get(self, account_id: str, key: str) -> IdempotencyRecord | None: ...

    @abc.abstractmethod
    def reserve(self, record: IdempotencyRecord) -> bool:
        """Insert a pending record; False when the key is already taken (a race lost)."""

    @abc.abstractmethod
    def take_over(self, record: IdempotencyRecord, now: datetime) -> bool:
        """Restart the lease of pending `record` at `now`, if it is still as read (pending,
        same `created_at`); False when a concurrent retry took it first or it completed."""

    @abc.abstractmethod
    def complete(
        self,
        account_id: str,
        key: str,
        status_code: int,
        body: bytes,
        media_type: str,
        leased_at: datetime | None = None,
    ) -> None:
        """Store the answer; with `leased_at`, only while the lease is still that one."""

    @abc.abstractmethod
    def delete(self, account_id: str, key: str, leased_at: datetime | None = None) -> None:
        """Forget the key; with `leased_at`, only while the lease is still that one."""


class MerchantUnitOfWork(AccountsUnitOfWork):
    shipments: AbstractShipmentRepository
    quotes: AbstractQuoteRepository
    serials: AbstractSerialAllocator
    idempotency: AbstractIdempotencyStore
    outbox: AbstractOutbox  # webhook events, written in the same transaction
    cbec_usage: AbstractCbecUsageRepository  # a booking's CBEC usage, in its transaction


class AbstractRoutePlanner(abc.ABC):
    """The route engine (`services/network/`) seen from the merchant platform."""

    @abc.abstractmethod
    def origin_hub_for_country(self, country: str) -> str: ...

    @abc.abstractmethod
    def hub_country(self, hub: str) -> str: ...

    @abc.abstractmethod
    def plan(
        self, origin_hub: str, destination_country: str, ready: datetime
    ) -> tuple[RouteOption, ...]:
        """The Pareto itineraries (time, cost); raises InvalidInput for unknown places."""


class AbstractCustomsEngine(abc.ABC):
    """The customs engine (`services/customs/`) seen from the merchant platform."""

    def screen(self, request: ShipmentRequest, on: date) -> tuple[Notice, ...]:  # noqa: ARG002
        """The screening flags of the goods, without taxes (bulk upload checks every row);
        InvalidInput when the goods cannot be shipped at all. No flags by default."""
        return ()

    @abc.abstractmethod
    def assess(
        self,
        request: ShipmentRequest,
        transport: Decimal,
        currency: str,
        on: date,
        *,
        record_usage: bool,
    ) -> Taxes:
        """Duties and taxes in `currency`; InvalidInput when the goods are refused."""

    def quote_taxes(self, request: ShipmentRequest, on: date) -> Callable[[Decimal, str], Taxes]:
        """`assess` of one quote (nothing recorded) by transport price and its currency.

        An engine may do the work that does not depend on the price once for all the
        quote's options; this default assesses each price on its own.
        """
        return lambda transport, currency: self.assess(
            request, transport, currency, on, record_usage=False
        )

    @abc.abstractmethod
    def prepare_booking(
        self, request: ShipmentRequest, option: QuoteOption, on: date
    ) -> BookingCustoms:
        """Everything customs needs to book `option`, read before the booking transaction.

        InvalidInput when the goods are refused or the declaration would be incomplete.
        The engine's own reads are finished (and their connection returned) when this
        returns, so the booking never holds two connections at once.
        """


@dataclass(frozen=True, slots=True)
class CbecCharge:
    """The CBEC usage a China-bound booking adds to its buyer's year, and the limit."""

    buyer_id: str
    year: int
    amount_cny: Decimal
    annual_limit_cny: Decimal


@dataclass(frozen=True, slots=True)
class BookingCustoms:
    """A booking's customs part: the records, by tracking number (no I/O), and the CBEC
    usage to charge in the booking's own transaction (None outside China)."""

    records: Callable[[str], dict[str, Any]]
    cbec: CbecCharge | None = None


class AbstractLabelRenderer(abc.ABC):
    @abc.abstractmethod
    def render(self, shipment: Shipment, sort_code: str) -> bytes:
        """A 100 x 150 mm PDF label."""

    @abc.abstractmethod
    def render_many(self, labels: Sequence[tuple[Shipment, str]]) -> bytes:
        """One PDF holding the labels of several shipments, in order."""

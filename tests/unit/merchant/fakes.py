"""In-memory fakes of the merchant ports, for fast service tests."""
# ruff: noqa: ARG002  (fakes implement the ports' full signatures)

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ewtp.domain.accounts import Account, ApiKey, Role
from ewtp.domain.errors import InvalidInput
from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.idempotency import IdempotencyRecord
from ewtp.domain.merchant.quotes import Quote, QuoteOption, RouteLeg, RouteOption, Taxes
from ewtp.domain.merchant.shipments import ShipmentRequest
from ewtp.services.accounts import AbstractAccountRepository
from ewtp.services.merchant.ports import (
    AbstractCustomsEngine,
    AbstractIdempotencyStore,
    AbstractLabelRenderer,
    AbstractQuoteRepository,
    AbstractRoutePlanner,
    AbstractSerialAllocator,
    AbstractShipmentRepository,
    BookingCustoms,
    CbecCharge,
    MerchantUnitOfWork,
)
from ewtp.services.webhooks.outbox import AbstractOutbox
from unit.customs.fakes import FakeUsage


class FakeAccounts(AbstractAccountRepository):
    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}

    def add_account(self, account: Account) -> None:
        self.accounts[account.id] = account

    def get_account(self, account_id: str) -> Account | None:
        return self.accounts.get(account_id)

    def find_account_by_name(self, name: str, role: Role) -> Account | None:
        return None

    def list_accounts(self, role: Role) -> list[Account]:
        return []

    def add_key(self, key: ApiKey) -> None: ...

    def find_key_by_digest(self, digest: str) -> ApiKey | None:
        return None

    def find_key(self, id_or_prefix: str) -> ApiKey | None:
        return None

    def revoke_key(self, key_id: str, at: datetime) -> None: ...


class FakeShipments(AbstractShipmentRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Shipment] = {}
        self.labels: dict[str, bytes] = {}

    def add(self, shipment: Shipment) -> None:
        self.rows[shipment.id] = shipment

    def get(self, account_id: str, shipment_id: str) -> Shipment | None:
        found = self.rows.get(shipment_id)
        return found if found and found.account_id == account_id else None

    def update(self, shipment: Shipment, label_pdf: bytes | None = None) -> None:
        self.rows[shipment.id] = shipment
        if label_pdf is not None:
            self.labels[shipment.id] = label_pdf

    def claim(
        self,
        account_id: str,
        shipment_id: str,
        expected: ShipmentStatus,
        to: ShipmentStatus,
        now: datetime,
    ) -> ShipmentStatus | None:
        found = self.get(account_id, shipment_id)
        assert found is not None
        if found.status is not expected:
            return found.status
        self.rows[shipment_id] = dataclasses.replace(found, status=to, updated_at=now)
        return None

    def label(self, account_id: str, shipment_id: str) -> bytes | None:
        return self.labels.get(shipment_id) if self.get(account_id, shipment_id) else None

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
        rows = [
            s
            for s in self.rows.values()
            if s.account_id == account_id
            and (status is None or s.status is status)
            and (tracking_number is None or s.tracking_number == tracking_number)
            and (reference is None or s.request.reference == reference)
            and (created_from is None or s.created_at >= created_from)
            and (created_to is None or s.created_at < created_to)
            and (after is None or (s.created_at, s.id) < after)
        ]
        return sorted(rows, key=lambda s: (s.created_at, s.id), reverse=True)[:limit]


class FakeQuotes(AbstractQuoteRepository):
    def __init__(self) -> None:
        self.rows: dict[str, Quote] = {}

    def add(self, quote: Quote) -> None:
        self.rows[quote.id] = quote

    def get(self, account_id: str, quote_id: str) -> Quote | None:
        found = self.rows.get(quote_id)
        return found if found and found.account_id == account_id else None

    def get_by_option(self, account_id: str, option_id: str) -> Quote | None:
        for quote in self.rows.values():
            if quote.account_id == account_id and any(o.id == option_id for o in quote.options):
                return quote
        return None


class FakeSerials(AbstractSerialAllocator):
    def __init__(self, start: int = 0) -> None:
        self.last: dict[tuple[str, str], int] = {}
        self.start = start

    def next_serial(self, indicator: str, country: str) -> int:
        value = self.last.get((indicator, country), self.start) + 1
        self.last[(indicator, country)] = value
        return value


class FakeIdempotency(AbstractIdempotencyStore):
    def __init__(self) -> None:
        self.rows: dict[tuple[str, str], IdempotencyRecord] = {}

    def get(self, account_id: str, key: str) -> IdempotencyRecord | None:
        return self.rows.get((account_id, key))

    def reserve(self, record: IdempotencyRecord) -> bool:
        if (record.account_id, record.key) in self.rows:
            return False
        self.rows[(record.account_id, record.key)] = record
        return True

    def take_over(self, record: IdempotencyRecord, now: datetime) -> bool:
        held = self.rows.get((record.account_id, record.key))
        if held is None or held.completed or held.created_at != record.created_at:
            return False
        self.rows[(record.account_id, record.key)] = dataclasses.replace(held, created_at=now)
        return True

    def _holds(self, account_id: str, key: str, leased_at: datetime | None) -> bool:
        held = self.rows.get((account_id, key))
        return held is not None and leased_at in (None, held.created_at)

    def complete(
        self,
        account_id: str,
        key: str,
        status_code: int,
        body: bytes,
        media_type: str,
        leased_at: datetime | None = None,
    ) -> None:
        if not self._holds(account_id, key, leased_at):
            return  # like an UPDATE that matches no row
        old = self.rows[(account_id, key)]
        self.rows[(account_id, key)] = IdempotencyRecord(
            old.account_id, old.key, old.fingerprint, old.created_at, status_code, body, media_type
        )

    def delete(self, account_id: str, key: str, leased_at: datetime | None = None) -> None:
        if self._holds(account_id, key, leased_at):
            del self.rows[(account_id, key)]


class FakeOutbox(AbstractOutbox):
    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def add(
        self,
        *,
        account_id: str,
        event_type: str,
        shipment_id: str,
        payload: dict[str, Any],
        occurred_at: datetime,
    ) -> str:
        self.events.append(
            {"account_id": account_id, "type": event_type, "shipment_id": shipment_id, **payload}
        )
        return str(len(self.events))

    def claim_undispatched(self, limit: int) -> list[Any]:
        return []

    def mark_dispatched(self, event_ids: Any, at: datetime) -> None: ...


class FakeMerchantUnitOfWork(MerchantUnitOfWork):
    def __init__(self) -> None:
        self.accounts = FakeAccounts()
        self.shipments = FakeShipments()
        self.quotes = FakeQuotes()
        self.serials = FakeSerials()
        self.idempotency = FakeIdempotency()
        self.outbox = FakeOutbox()
        self.cbec_usage = FakeUsage()
        self.commits = 0

    def commit(self) -> None:
        self.commits += 1

    def rollback(self) -> None:
        pass


def route(ready: datetime, hours: int, cost: str, hubs: tuple[str, ...]) -> RouteOption:
    """An itinerary through `hubs`, delivered `hours` after ready."""
    step = timedelta(hours=hours) / max(1, len(hubs) - 1)
    legs = tuple(
        RouteLeg(f"S{i}", "air", a, b, ready + step * i, ready + step * (i + 1))
        for i, (a, b) in enumerate(itertools.pairwise(hubs))
    )
    return RouteOption(
        legs=legs,
        delivered_utc=ready + timedelta(hours=hours),
        cost_per_kg=Decimal(cost),
        co2_kg_per_kg=Decimal("2.5"),
        promise_met=hours <= 72,
    )


@dataclass
class FakePlanner(AbstractRoutePlanner):
    hours_and_costs: tuple[tuple[int, str], ...] = ((40, "3.0"), (60, "2.0"), (100, "1.0"))
    countries: dict[str, str] = field(default_factory=lambda: {"HGH": "CN", "LGG": "BE"})

    def origin_hub_for_country(self, country: str) -> str:
        return {"CN": "HGH", "BE": "LGG"}[country]

    def hub_country(self, hub: str) -> str:
        return self.countries[hub]

    def plan(
        self, origin_hub: str, destination_country: str, ready: datetime
    ) -> tuple[RouteOption, ...]:
        return tuple(
            route(ready, h, c, (origin_hub, "LGG", "CDG")) for h, c in self.hours_and_costs
        )


@dataclass
class FakeCustoms(AbstractCustomsEngine):
    """Flat taxes: 20% VAT on goods + transport, EUR 3 duty; refuses HS 930100 (weapons)."""

    calls: list[tuple[Decimal, bool]] = field(default_factory=list)

    def assess(
        self,
        request: ShipmentRequest,
        transport: Decimal,
        currency: str,
        on: date,
        *,
        record_usage: bool,
    ) -> Taxes:
        self.calls.append((transport, record_usage))
        if any(i.hs_code.startswith("9301") for i in request.items):
            raise InvalidInput("weapons are refused", field="parcels[0].items[0].hs_code")
        duty = Decimal("3.00")
        vat = ((request.goods_value + transport + duty) * Decimal("0.2")).quantize(Decimal("0.01"))
        return Taxes(duty, vat, Decimal("0.00"), Decimal("0.00"))

    def prepare_booking(
        self, request: ShipmentRequest, option: QuoteOption, on: date
    ) -> BookingCustoms:
        self.assess(request, option.price.transport, option.price.currency, on, record_usage=True)
        charge = None
        if request.recipient.country == "CN":
            buyer = request.recipient.email or request.recipient.name
            charge = CbecCharge(buyer, on.year, request.goods_value, Decimal("26000"))
        return BookingCustoms(
            records=lambda tracking: {"declaration_type": "H7", "h7": {"hawb": tracking}},
            cbec=charge,
        )


class FakeLabels(AbstractLabelRenderer):
    def render(self, shipment: Shipment, sort_code: str) -> bytes:
        return f"%PDF-fake {shipment.tracking_number} {sort_code}".encode()

    def render_many(self, labels: Sequence[tuple[Shipment, str]]) -> bytes:
        return b"%PDF-fake " + b" ".join(f"{s.tracking_number} {c}".encode() for s, c in labels)

"""Quotes: route options from the timetable priced by the rate card, with duties and taxes.

Service levels come from the route plan's Pareto options (time vs cost), sorted by
delivery time:

    3+ options: express = fastest, standard = the middle one, economy = the cheapest
    2 options:  express = fastest, economy = cheapest
    1 option:   standard

Under DDP the price includes the customs engine's duty, VAT, consumption tax and fees;
under DAP the buyer pays those on delivery, so the price is transport only (taxes 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from ewtp.domain.merchant.pricing import money
from ewtp.domain.merchant.shipments import Incoterm, ServiceLevel, ShipmentRequest

__all__ = [
    "Notice",
    "Price",
    "Quote",
    "QuoteOption",
    "RouteLeg",
    "RouteOption",
    "Taxes",
    "assign_levels",
    "build_price",
    "default_option",
]


@dataclass(frozen=True, slots=True)
class RouteLeg:
    service_id: str
    mode: str
    origin: str
    destination: str
    departure_utc: datetime
    arrival_utc: datetime


@dataclass(frozen=True, slots=True)
class RouteOption:
    """One itinerary of the route engine, in the merchant platform's terms."""

    legs: tuple[RouteLeg, ...]
    delivered_utc: datetime
    cost_per_kg: Decimal
    co2_kg_per_kg: Decimal
    promise_met: bool  # delivered within the platform's promise of the ready time


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the merchant should know before shipping: a code for scripts, plain words
    for people, and the item it is about (`parcels[0].items[1]`) when there is one.

    Customs screening is the main source (`battery_section_ii`: the lithium battery mark is
    required; `restricted_*` and `excise_goods`: held for review or H1), so its outcome is
    seen on the quote, the shipment and the bulk rows, not only in the customs records.
    """

    code: str
    message: str
    field: str | None = None


@dataclass(frozen=True, slots=True)
class Taxes:
    """Duties and taxes in the price currency (already converted and rounded)."""

    duty: Decimal
    vat: Decimal
    consumption_tax: Decimal
    fees: Decimal
    warnings: tuple[Notice, ...] = ()

    @classmethod
    def none(cls) -> Taxes:
        zero = Decimal("0.00")
        return cls(zero, zero, zero, zero)


@dataclass(frozen=True, slots=True)
class Price:
    transport: Decimal
    duty: Decimal
    vat: Decimal
    consumption_tax: Decimal
    fees: Decimal
    total: Decimal
    currency: str


@dataclass(frozen=True, slots=True)
class QuoteOption:
    id: str
    service_level: ServiceLevel
    delivered_by: datetime
    promise_met: bool
    legs: tuple[RouteLeg, ...]
    co2_kg: Decimal
    price: Price
    chargeable_kg: Decimal
    warnings: tuple[Notice, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    account_id: str
    request: ShipmentRequest
    origin_hub: str
    ready_at: datetime
    created_at: datetime
    expires_at: datetime
    options: tuple[QuoteOption, ...]


def assign_levels(options: tuple[RouteOption, ...]) -> list[tuple[ServiceLevel, RouteOption]]:
    """Map Pareto itineraries to service levels (see the module docstring)."""
    ordered = sorted(options, key=lambda o: (o.delivered_utc, o.cost_per_kg))
    if not ordered:
        return []
    if len(ordered) == 1:
        return [(ServiceLevel.STANDARD, ordered[0])]
    cheapest = min(ordered, key=lambda o: (o.cost_per_kg, o.delivered_utc))
    if cheapest is ordered[0]:  # the fastest is also the cheapest: it dominates the rest
        return [(ServiceLevel.STANDARD, cheapest)]
    picked = [(ServiceLevel.EXPRESS, ordered[0])]
    if len(ordered) >= 3:
        middle = [o for o in ordered if o is not ordered[0] and o is not cheapest]
        picked.append((ServiceLevel.STANDARD, middle[len(middle) // 2]))
    picked.append((ServiceLevel.ECONOMY, cheapest))
    return picked


def build_price(
    request: ShipmentRequest, transport: Decimal, currency: str, taxes: Taxes | None
) -> Price:
    """Transport plus, under DDP, the duties and taxes. Amounts are already in cents."""
    due = taxes if (request.incoterm is Incoterm.DDP and taxes is not None) else Taxes.none()
    total = money(transport + due.duty + due.vat + due.consumption_tax + due.fees)
    return Price(
        transport=money(transport),
        duty=money(due.duty),
        vat=money(due.vat),
        consumption_tax=money(due.consumption_tax),
        fees=money(due.fees),
        total=total,
        currency=currency,
    )


def default_option(options: Sequence[QuoteOption]) -> QuoteOption:
    """The option booked when the merchant names none.

    The cheapest (total price, then earliest delivery) of those that meet the 72-hour
    promise; when none does, the fastest, so the parcel is as little late as it can be.
    """
    if not options:
        raise ValueError("no options to choose from")
    kept = [o for o in options if o.promise_met]
    if kept:
        return min(kept, key=lambda o: (o.price.total, o.delivered_by))
    return min(options, key=lambda o: (o.delivered_by, o.price.total))

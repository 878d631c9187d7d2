"""The transport rate card: prices as dated data, not code.

    transport = round_half_up((base + per_kg x chargeable_kg + surcharges) x (1 + fuel%), 0.01)

Rows come from `data/pricing/*.csv` (each with valid_from, valid_to and source). The
zone is the destination country's pricing zone. Rounding happens once, on the total.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.shipments import Parcel, ServiceLevel

__all__ = [
    "CENT",
    "FuelRow",
    "ParameterRow",
    "RateCard",
    "RateRow",
    "SurchargeRow",
    "TransportPrice",
    "ZoneRow",
    "money",
]

CENT = Decimal("0.01")


def money(amount: Decimal) -> Decimal:
    """Round to the cent, half-up: the one rounding rule for prices."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class _Dated:
    valid_from: date
    valid_to: date | None
    source: str

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


@dataclass(frozen=True, slots=True)
class ZoneRow(_Dated):
    country: str
    zone: str


@dataclass(frozen=True, slots=True)
class RateRow(_Dated):
    service_level: ServiceLevel
    zone: str
    currency: str
    base: Decimal
    per_kg: Decimal


@dataclass(frozen=True, slots=True)
class SurchargeRow(_Dated):
    code: str  # e.g. "battery"
    service_level: str  # a level, or "*" for all
    currency: str
    amount: Decimal


@dataclass(frozen=True, slots=True)
class FuelRow(_Dated):
    percent: Decimal


@dataclass(frozen=True, slots=True)
class ParameterRow(_Dated):
    name: str
    value: Decimal


@dataclass(frozen=True, slots=True)
class TransportPrice:
    amount: Decimal
    currency: str
    zone: str
    chargeable_kg: Decimal
    surcharges: tuple[str, ...]
    fuel_percent: Decimal


@dataclass(frozen=True, slots=True)
class RateCard:
    zones: tuple[ZoneRow, ...]
    rates: tuple[RateRow, ...]
    surcharges: tuple[SurchargeRow, ...]
    fuel: tuple[FuelRow, ...]
    parameters: tuple[ParameterRow, ...]

    def parameter(self, name: str, on: date) -> Decimal:
        for row in self.parameters:
            if row.name == name and row.in_force(on):
                return row.value
        raise InvalidInput(f"no pricing parameter {name!r} in force on {on}", field="ready_at")

    def parameter_row(self, name: str, on: date) -> ParameterRow:
        for row in self.parameters:
            if row.name == name and row.in_force(on):
                return row
        raise InvalidInput(f"no pricing parameter {name!r} in force on {on}", field="ready_at")

    def check_parcels(self, parcels: tuple[Parcel, ...], on: date) -> None:
        """Refuse a parcel over the weight or size limits in force, naming it and the source.

        Length is the longest side; girth is twice the sum of the other two.
        """
        weight = self.parameter_row("max_parcel_weight_kg", on)
        length = self.parameter_row("max_parcel_length_cm", on)
        girth = self.parameter_row("max_parcel_length_girth_cm", on)
        for p, parcel in enumerate(parcels):
            field = f"parcels[{p}]"
            if parcel.weight_kg > weight.value:
                raise InvalidInput(
                    f"{parcel.weight_kg} kg is over the {weight.value} kg limit per parcel "
                    f"({weight.source})",
                    field=f"{field}.weight_kg",
                )
            named = {"length_cm": parcel.length_cm, "width_cm": parcel.width_cm,
                     "height_cm": parcel.height_cm}  # fmt: skip
            longest = max(named, key=lambda k: named[k])
            if named[longest] > length.value:
                raise InvalidInput(
                    f"{named[longest]} cm is over the {length.value} cm limit for any side "
                    f"({length.source})",
                    field=f"{field}.{longest}",
                )
            total = named[longest] + 2 * (sum(named.values()) - named[longest])
            if total > girth.value:
                raise InvalidInput(
                    f"length plus girth is {total} cm, over the {girth.value} cm limit "
                    f"({girth.source})",
                    field=f"{field}.{longest}",
                )

    def zone_of(self, country: str, on: date) -> str:
        for row in self.zones:
            if row.country == country and row.in_force(on):
                return row.zone
        raise InvalidInput(f"we do not deliver to {country}", field="recipient.country")

    def transport_price(
        self,
        level: ServiceLevel,
        country: str,
        chargeable_kg: Decimal,
        surcharge_codes: tuple[str, ...],
        on: date,
    ) -> TransportPrice:
        """The transport price of one shipment at one service level."""
        zone = self.zone_of(country, on)
        rate = next(
            (
                r
                for r in self.rates
                if r.service_level is level and r.zone == zone and r.in_force(on)
            ),
            None,
        )
        if rate is None:
            raise InvalidInput(
                f"no {level.value} rate for zone {zone} on {on}", field="service_level"
            )
        subtotal = rate.base + rate.per_kg * chargeable_kg
        for code in surcharge_codes:
            row = next(
                (
                    s
                    for s in self.surcharges
                    if s.code == code
                    and s.service_level in ("*", level.value)
                    and s.currency == rate.currency
                    and s.in_force(on)
                ),
                None,
            )
            if row is not None:
                subtotal += row.amount
        fuel = next((f.percent for f in self.fuel if f.in_force(on)), Decimal(0))
        amount = money(subtotal * (1 + fuel / 100))
        return TransportPrice(amount, rate.currency, zone, chargeable_kg, surcharge_codes, fuel)

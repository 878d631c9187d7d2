"""The rule tables the engines apply, as dated rows, and their lookups by date.

Every row is in force from `valid_from` to `valid_to` inclusive (None = open-ended). The
tables are loaded from `ewtp/data/customs/*.csv` by `adapters/customs/rule_files.py`; each
CSV row carries its legal or published source. A date no row covers is an error, never
a silent default (issue 4, "a date outside the rule tables").
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol, TypeVar

from ewtp.domain.errors import InvalidInput

__all__ = [
    "BatteryRule",
    "CbecLimits",
    "CbecLine",
    "ConsumptionTax",
    "Dated",
    "DutyRegime",
    "Fee",
    "RestrictedTerm",
    "RuleBook",
    "SpecialGoods",
    "TariffLine",
    "VatRate",
    "in_force",
    "is_in_force",
    "is_unconfirmed",
    "longest_prefix",
]


class Dated(Protocol):
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date | None: ...


D = TypeVar("D", bound=Dated)


UNCONFIRMED = "(unconfirmed)"


def is_unconfirmed(source: str) -> bool:
    """Whether a row's source marks it as not yet confirmed (see `Fee`)."""
    return source.lstrip().lower().startswith(UNCONFIRMED)


def is_in_force(row: Dated, on: date) -> bool:
    """Whether `row` applies on `on` (its validity bounds are inclusive)."""
    return row.valid_from <= on and (row.valid_to is None or on <= row.valid_to)


def in_force(rows: Iterable[D], on: date) -> list[D]:
    """The rows in force on `on`."""
    return [r for r in rows if is_in_force(r, on)]


@dataclass(frozen=True, slots=True)
class VatRate:
    country: str
    rate: Decimal  # percent
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class TariffLine:
    hs6: str
    description: str
    rate: Decimal  # ad valorem percent on the customs value
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class DutyRegime:
    """How low-value consignments pay duty: `relief`, `flat_per_hs6` or `tariff`."""

    regime: str
    lvc_threshold_eur: Decimal
    flat_duty_eur: Decimal
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class Fee:
    """A national handling fee charged to the buyer, per `parcel`, `line` or `hs6`.

    A row whose source starts with "(unconfirmed)" is one whose legal basis, amount or
    date could not be confirmed: every result that uses it warns `rule_unconfirmed`.
    """

    country: str
    amount: Decimal
    currency: str
    per: str
    lvc_only: bool
    valid_from: date
    valid_to: date | None
    source: str

    @property
    def unconfirmed(self) -> bool:
        return is_unconfirmed(self.source)


@dataclass(frozen=True, slots=True)
class CbecLimits:
    transaction_limit_cny: Decimal
    annual_limit_cny: Decimal
    tax_factor: Decimal  # 0.7: VAT and consumption tax at 70% within the limits
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class CbecLine:
    """A line of the CBEC positive list with its statutory VAT and general duty rates."""

    hs_code: str
    description: str
    vat_rate: Decimal  # percent
    duty_rate: Decimal  # percent, applied only at full rates (single item over the limit)
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class ConsumptionTax:
    """A PRC consumption-tax category, with the price condition some categories carry.

    `basis` "net": taxed only at a duty-paid price of `min_per_ml_g` CNY or more per ml or
    g of content, or `min_per_piece` or more per piece or sheet (needs the item's
    `net_quantity` and `net_unit`); "item": only at `min_per_piece` or more per unit of
    quantity (per watch); "" : always.
    """

    hs_prefix: str
    category: str
    rate: Decimal  # percent
    valid_from: date
    valid_to: date | None
    source: str
    basis: str = ""
    min_per_ml_g: Decimal | None = None
    min_per_piece: Decimal | None = None

    @property
    def conditional(self) -> bool:
        return bool(self.basis)


@dataclass(frozen=True, slots=True)
class SpecialGoods:
    """Excise goods and goods excluded from the LVC duty relief (Reg. 1186/2009 Art. 24)."""

    hs_prefix: str
    category: str
    excise: bool
    relief_excluded: bool
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class RestrictedTerm:
    """A screening flag: `kind` (cites, weapons, counterfeit), by HS prefix or keyword."""

    kind: str
    match: str  # "hs_prefix" or "keyword"
    value: str
    valid_from: date
    valid_to: date | None
    source: str


@dataclass(frozen=True, slots=True)
class BatteryRule:
    un_number: str
    chemistry: str  # "ion" or "metal"
    allowed: bool
    max_watt_hours: Decimal | None
    max_lithium_grams: Decimal | None
    packing_instruction: str
    valid_from: date
    valid_to: date | None
    source: str


R = TypeVar("R")


def longest_prefix(rows: Sequence[R], code: str, key: str) -> R | None:
    """The row whose `key` is the longest prefix of `code`."""
    best: R | None = None
    best_len = -1
    for row in rows:
        prefix = str(getattr(row, key))
        if code.startswith(prefix) and len(prefix) > best_len:
            best, best_len = row, len(prefix)
    return best


@dataclass(frozen=True)
class RuleBook:
    """All the customs tables, plus the sets of known countries and EU members.

    Tariff lines are also indexed by HS6 (in table order), so a lookup stays one dict probe
    when an operator loads a full TARIC extract instead of scanning every line per item.
    """

    vat_rates: tuple[VatRate, ...]
    tariff: tuple[TariffLine, ...]
    duty_regimes: tuple[DutyRegime, ...]
    fees: tuple[Fee, ...]
    cbec_limits: tuple[CbecLimits, ...]
    cbec_lines: tuple[CbecLine, ...]
    consumption_taxes: tuple[ConsumptionTax, ...]
    special_goods: tuple[SpecialGoods, ...]
    restricted: tuple[RestrictedTerm, ...]
    batteries: tuple[BatteryRule, ...]
    countries: frozenset[str]
    eu_members: frozenset[str]
    hs6: frozenset[str] = frozenset()  # valid HS 2022 subheadings; empty: format check only
    _tariff_by_hs6: dict[str, tuple[TariffLine, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_hs6: dict[str, list[TariffLine]] = {}
        for line in self.tariff:
            by_hs6.setdefault(line.hs6, []).append(line)
        index = {hs6: tuple(lines) for hs6, lines in by_hs6.items()}
        object.__setattr__(self, "_tariff_by_hs6", index)  # frozen: set once, here

    def vat_rate(self, country: str, on: date) -> VatRate:
        rows = in_force((r for r in self.vat_rates if r.country == country), on)
        if not rows:
            raise InvalidInput(
                f"no VAT rate for {country} on {on.isoformat()} in the rule tables", field="date"
            )
        return rows[0]

    def duty_regime(self, on: date) -> DutyRegime:
        rows = in_force(self.duty_regimes, on)
        if not rows:
            raise InvalidInput(f"{on.isoformat()} is outside the EU duty rule tables", field="date")
        return rows[0]

    def tariff_line(self, hs_code: str, on: date) -> TariffLine | None:
        lines = self._tariff_by_hs6.get(hs_code[:6], ())
        return next((line for line in lines if is_in_force(line, on)), None)

    def fees_for(self, country: str, on: date) -> list[Fee]:
        return in_force((f for f in self.fees if f.country == country), on)

    def cbec_limits_on(self, on: date) -> CbecLimits:
        rows = in_force(self.cbec_limits, on)
        if not rows:
            raise InvalidInput(f"{on.isoformat()} is outside the CBEC rule tables", field="date")
        return rows[0]

    def cbec_line(self, hs_code: str, on: date) -> CbecLine | None:
        return longest_prefix(in_force(self.cbec_lines, on), hs_code, "hs_code")

    def consumption_tax(self, hs_code: str, on: date) -> ConsumptionTax | None:
        return longest_prefix(in_force(self.consumption_taxes, on), hs_code, "hs_prefix")

    def special(self, hs_code: str, on: date) -> SpecialGoods | None:
        return longest_prefix(in_force(self.special_goods, on), hs_code, "hs_prefix")

    def battery_rule(self, un_number: str, on: date) -> BatteryRule | None:
        rows = in_force((b for b in self.batteries if b.un_number == un_number), on)
        return rows[0] if rows else None

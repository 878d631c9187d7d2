"""Which exchange rate customs applies to a consignment: the rules, as law states them.

EU (customs value and the EUR 150 test), Implementing Reg. (EU) 2015/2447 Art. 146:
- the rate is the one published on the penultimate Wednesday of a month, or, if none was
  published that day, the last one published before it; it applies for the whole of the
  following month;
- euro member states use the ECB's rate (`eu_art146_ecb`); a member state outside the
  euro uses its national authority's rate (`eu_art146_national_XX`) when its national
  table is loaded, and the ECB rate otherwise.

China, GACC Measures on the Collection of Duties on Import and Export Goods
(海关进出口货物征税管理办法), Art. 16: customs converts at the PBoC benchmark rate published
on the third Wednesday of the previous month (the fourth if the third is a public holiday).
With a CN customs table loaded (`ewtp fx load --table cn-customs FILE`) its row of that
month is used (`cn_gacc_pboc`); without one, the ECB cross rate of that Wednesday
(`cn_ecb_cross_rate`), and the assessment warns `fx_cross_rate`.

A rule whose publication day is later than the newest rate held cannot be applied: that is
`StaleRate` (`exchange_rate_stale`), naming the currency, the newest rate held and the fix.

Rates of national and CN tables are units of the national currency per foreign unit. They
are turned into one exact common base (see `EcbRate`): with needed currencies X_i at n_i
national units each, the base is K = prod(n_i) national units, so X_j counts K / n_j =
prod(n_i, i != j) units per base and the national currency K: every figure stays a
product of published decimals, and conversions stay exact ratios.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from ewtp.domain.customs.money import EcbRate
from ewtp.domain.errors import InvalidInput

__all__ = [
    "CN_CROSS",
    "CN_TABLE",
    "CN_TABLE_NAME",
    "EU_ECB",
    "FxSources",
    "RateSeries",
    "StaleRate",
    "customs_rates",
    "eu_national_rule",
    "penultimate_wednesday",
    "rule_reference",
    "third_wednesday",
]

EUR, CNY = "EUR", "CNY"
EU_ECB = "eu_art146_ecb"
CN_TABLE = "cn_gacc_pboc"
CN_CROSS = "cn_ecb_cross_rate"
CN_TABLE_NAME = "cn-customs"
WEDNESDAY = 2
FETCH_HINT = "run `ewtp fx fetch` (or download the ECB file and run `ewtp fx load FILE`)"


def eu_national_rule(country: str) -> str:
    return f"eu_art146_national_{country}"


class RateSeries(Protocol):
    """Published rates of one source, by currency and publication date."""

    def latest(self, currency: str, on: date) -> EcbRate | None: ...
    def newest(self, currency: str) -> date | None: ...


class StaleRate(InvalidInput):
    """The rate the rule asks for is newer than every rate held: fetch newer rates."""

    code = "exchange_rate_stale"


@dataclass(frozen=True)
class FxSources:
    """Every rate source the rules may use, read once per assessment or batch."""

    ecb: RateSeries
    max_age_days: int
    cn_customs: RateSeries | None = None
    national: Mapping[str, RateSeries] = field(default_factory=dict)
    national_currency: Mapping[str, str] = field(default_factory=dict)  # country -> currency


def _wednesdays(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    day = first + timedelta(days=(WEDNESDAY - first.weekday()) % 7)
    out = []
    while day.month == month:
        out.append(day)
        day += timedelta(days=7)
    return out


def penultimate_wednesday(year: int, month: int) -> date:
    return _wednesdays(year, month)[-2]


def third_wednesday(year: int, month: int) -> date:
    return _wednesdays(year, month)[2]


def _previous_month(on: date) -> tuple[int, int]:
    return (on.year - 1, 12) if on.month == 1 else (on.year, on.month - 1)


def rule_reference(destination: str, on: date) -> date:
    """The publication day the rule for `destination` asks for, for a consignment on `on`."""
    year, month = _previous_month(on)
    return (
        third_wednesday(year, month) if destination == "CN" else penultimate_wednesday(year, month)
    )


def _field(currency: str, consignment_currency: str) -> str:
    return "currency" if currency == consignment_currency else "destination_country"


def _ecb_rates(
    sources: FxSources, needed: Iterable[str], ref: date, rule: str, consignment_currency: str
) -> dict[str, EcbRate]:
    out = {EUR: EcbRate(EUR, Decimal(1), ref, rule, ref)}
    for currency in needed:
        if currency == EUR:
            continue
        newest = sources.ecb.newest(currency)
        where = _field(currency, consignment_currency)
        if newest is None:
            raise InvalidInput(f"no ECB reference rate for {currency}", field=where)
        found = sources.ecb.latest(currency, ref)
        if newest < ref or found is None or (ref - found.on).days > sources.max_age_days:
            raise StaleRate(
                f"the customs rate for {currency} is the ECB rate published on "
                f"{ref.isoformat()} (or the last before it), but the newest {currency} rate "
                f"held is of {newest.isoformat()}: {FETCH_HINT}",
                field=where,
            )
        out[currency] = EcbRate(currency, found.per_eur, found.on, rule, ref)
    return out


def _table_rates(
    series: RateSeries,
    home: str,
    needed: Iterable[str],
    ref: date,
    rule: str,
    accept: Callable[[EcbRate], bool],
) -> dict[str, EcbRate] | None:
    """Rates of a national-style table (home units per foreign unit) in one exact base, or
    None when a needed currency has no acceptable row."""
    found: dict[str, EcbRate] = {}
    for currency in sorted(set(needed) - {home}):
        row = series.latest(currency, ref if rule != CN_TABLE else _month_end(ref))
        if row is None or not accept(row):
            return None
        found[currency] = row
    base = Decimal(1)
    for row in found.values():
        base *= row.per_eur
    newest = max((r.on for r in found.values()), default=ref)
    out = {home: EcbRate(home, base, newest, rule, ref)}
    for currency, row in found.items():
        others = Decimal(1)
        for other, r in found.items():
            if other != currency:
                others *= r.per_eur
        out[currency] = EcbRate(currency, others, row.on, rule, ref)
    return out


def _month_end(on: date) -> date:
    following = date(on.year + on.month // 12, on.month % 12 + 1, 1)
    return following - timedelta(days=1)


def customs_rates(
    destination: str,
    on: date,
    needed: Iterable[str],
    sources: FxSources,
    *,
    consignment_currency: str,
) -> dict[str, EcbRate]:
    """The rates customs applies to a consignment into `destination` dated `on`, by
    currency (always with EUR; with CNY into China), in one common base."""
    ref = rule_reference(destination, on)
    wanted = {*needed, EUR}
    if destination == "CN":
        wanted.add(CNY)
        table = sources.cn_customs
        if table is not None:
            in_month = _month_end(ref)

            def this_month(row: EcbRate) -> bool:
                return ref <= row.on <= in_month

            rates = _table_rates(table, CNY, wanted, ref, CN_TABLE, this_month)
            if rates is not None:
                return rates
        return _ecb_rates(sources, wanted, ref, CN_CROSS, consignment_currency)
    national = sources.national.get(destination)
    home = sources.national_currency.get(destination)
    if national is not None and home is not None:
        rule = eu_national_rule(destination)
        for currency in sorted(wanted - {home}):
            newest = national.newest(currency)
            where = _field(currency, consignment_currency)
            if newest is None or newest < ref:
                held = newest.isoformat() if newest else "none"
                raise StaleRate(
                    f"the customs rate for {currency} into {destination} is the national "
                    f"rate published on {ref.isoformat()} (or the last before it); the newest "
                    f"held is {held}: load the national table with `ewtp fx load --table "
                    f"national-{destination} FILE`",
                    field=where,
                )

        def recent(row: EcbRate) -> bool:
            return (ref - row.on).days <= sources.max_age_days

        rates = _table_rates(national, home, wanted, ref, rule, recent)
        if rates is None:
            raise StaleRate(
                f"no national {destination} rate within {sources.max_age_days} days before "
                f"{ref.isoformat()}: load a newer table with `ewtp fx load --table "
                f"national-{destination} FILE`",
                field="currency",
            )
        return rates
    return _ecb_rates(sources, wanted, ref, EU_ECB, consignment_currency)

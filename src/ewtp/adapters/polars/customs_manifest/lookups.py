"""Per-batch lookup frames resolved with the scalar engine's own `RuleBook` methods.

A day's manifest has few distinct dates, HS codes and currencies, so each rule is looked
up once per distinct key in Python (exactly as the scalar engine looks it up) and joined
back onto millions of rows. Rates are scaled to integers: money ×10^4, ECB rates ×10^6,
percentages ×10^3 (`_M`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import lcm

import polars as pl

from ewtp.domain.customs.eu import display_rate
from ewtp.domain.customs.fx_rules import CN_CROSS, EU_ECB, FxSources, customs_rates
from ewtp.domain.customs.identifiers import validate_identifier
from ewtp.domain.customs.money import EcbRate
from ewtp.domain.customs.rules import RuleBook, in_force
from ewtp.domain.errors import InvalidInput

__all__ = ["RATE_SCALE", "Lookups", "M", "scaled"]

M = 1000  # percentages in thousandths of a percent
RATE_SCALE = 10**6
ECB_RULES = (EU_ECB, CN_CROSS)  # rules whose rates are plain ECB rates (6 decimals at most)


def scaled(value: Decimal, scale: int) -> int:
    """`value` × `scale` as an exact int (the tables are validated to fit)."""
    out = Fraction(value) * scale
    if out.denominator != 1:
        raise ValueError(f"{value} has more decimals than the bulk engine supports")
    return int(out)


class Lookups:
    """Builds the join tables for the dates, codes and currencies of one batch."""

    def __init__(self, book: RuleBook, sources: FxSources) -> None:
        self.book, self.sources = book, sources
        ct_rates = {scaled(r.rate, M) for r in book.consumption_taxes} | {0}
        self.ct_lcm = lcm(*(100 * M - r for r in ct_rates))

    def rates(self, currency: str, destination: str, on: date) -> dict[str, EcbRate] | None:
        """The customs rates of a consignment in `currency` into `destination` on `on`, as
        the scalar engine chooses them, or None when the fast path cannot use them (no
        rate, or a national or CN table whose exact base needs more than 6 decimals)."""
        try:
            found = customs_rates(
                destination, on, {currency}, self.sources, consignment_currency=currency
            )
        except InvalidInput:
            return None
        if any(r.rule not in ECB_RULES for r in found.values()):
            return None
        return found

    def currency_frame(self, keys: Iterable[tuple[str, str, date]]) -> pl.DataFrame:
        """(currency, destination, date) -> the rule's rates, their dates, the shown rates."""
        rows = []
        for currency, destination, on in keys:
            found = self.rates(currency, destination, on)
            if found is None:
                continue
            src, eur, cny = found[currency], found["EUR"], found.get("CNY")
            rows.append(
                {
                    "currency": currency,
                    "destination_country": destination,
                    "date": on,
                    "src6": scaled(src.per_eur, RATE_SCALE),
                    "src_on": src.on,
                    "fx_ref": src.reference,
                    "fx_rule": (cny or src).rule,
                    "show_eur": str(display_rate(src, eur)),
                    "cny6": scaled(cny.per_eur, RATE_SCALE) if cny else None,
                    "cny_on": cny.on if cny else None,
                    "show_cny": str(display_rate(src, cny)) if cny else None,
                }
            )
        schema = {
            "currency": pl.String, "destination_country": pl.String, "date": pl.Date,
            "src6": pl.Int64, "src_on": pl.Date, "fx_ref": pl.Date, "fx_rule": pl.String,
            "show_eur": pl.String, "cny6": pl.Int64, "cny_on": pl.Date, "show_cny": pl.String,
        }  # fmt: skip
        return pl.DataFrame(rows, schema=schema)

    def date_frame(self, dates: Iterable[date]) -> pl.DataFrame:
        """date -> EU duty regime and CBEC limits in force."""
        rows = []
        for on in dates:
            regime = in_force(self.book.duty_regimes, on)
            limits = in_force(self.book.cbec_limits, on)
            rows.append(
                {
                    "date": on,
                    "regime": regime[0].regime if regime else None,
                    "threshold_c": scaled(regime[0].lvc_threshold_eur, 100) if regime else None,
                    "flat_c": scaled(regime[0].flat_duty_eur, 100) if regime else None,
                    "tx_limit_c": scaled(limits[0].transaction_limit_cny, 100) if limits else None,
                    "annual_c": scaled(limits[0].annual_limit_cny, 100) if limits else None,
                    "factor_n": Fraction(limits[0].tax_factor).numerator if limits else None,
                    "factor_d": Fraction(limits[0].tax_factor).denominator if limits else None,
                }
            )
        schema = {
            "date": pl.Date, "regime": pl.String, "threshold_c": pl.Int64, "flat_c": pl.Int64,
            "tx_limit_c": pl.Int64, "annual_c": pl.Int64, "factor_n": pl.Int64,
            "factor_d": pl.Int64,
        }  # fmt: skip
        return pl.DataFrame(rows, schema=schema)

    def vat_frame(self, pairs: Iterable[tuple[str, date]]) -> pl.DataFrame:
        rows = []
        for country, on in pairs:
            found = in_force((r for r in self.book.vat_rates if r.country == country), on)
            if found:
                rate = found[0].rate
                rows.append(
                    {"destination_country": country, "date": on,
                     "vat_m": scaled(rate, M), "vat_rate": str(rate)}
                )  # fmt: skip
        schema = {
            "destination_country": pl.String, "date": pl.Date, "vat_m": pl.Int64,
            "vat_rate": pl.String,
        }  # fmt: skip
        return pl.DataFrame(rows, schema=schema)

    def code_frame(self, pairs: Iterable[tuple[str, date]]) -> pl.DataFrame:
        """(hs_code, date) -> tariff rate, excise/relief flags, CBEC rates."""
        rows = []
        book = self.book
        for code, on in pairs:
            line = book.tariff_line(code, on)
            special = book.special(code, on)
            cbec = book.cbec_line(code, on)
            ct = book.consumption_tax(code, on)
            rows.append(
                {
                    "hs_code": code,
                    "date": on,
                    "tariff_m": scaled(line.rate, M) if line else None,
                    "excise": bool(special and special.excise),
                    "relief_excluded": bool(special and special.relief_excluded),
                    "cbec_vat_m": scaled(cbec.vat_rate, M) if cbec else None,
                    "cbec_vat_str": str(cbec.vat_rate) if cbec else None,
                    "cbec_duty_m": scaled(cbec.duty_rate, M) if cbec else 0,
                    "ct_m": scaled(ct.rate, M) if ct else 0,
                    "ct_conditional": bool(ct and ct.conditional),
                }
            )
        schema = {
            "hs_code": pl.String, "date": pl.Date, "tariff_m": pl.Int64, "excise": pl.Boolean,
            "relief_excluded": pl.Boolean, "cbec_vat_m": pl.Int64, "cbec_vat_str": pl.String, "cbec_duty_m": pl.Int64,
            "ct_m": pl.Int64, "ct_conditional": pl.Boolean,
        }  # fmt: skip
        return pl.DataFrame(rows, schema=schema)

    def fee_frame(self, pairs: Iterable[tuple[str, date]]) -> pl.DataFrame:
        """(destination, date) -> each fee row in force, with its currency's rate."""
        rows = []
        for country, on in pairs:
            for k, fee in enumerate(self.book.fees_for(country, on)):
                found = self.rates(fee.currency, country, on)
                rate = found[fee.currency] if found else None
                rows.append(
                    {
                        "destination_country": country, "date": on, "fee_k": k,
                        "fee_amount4": scaled(fee.amount, 10**4), "fee_per": fee.per,
                        "fee_lvc_only": fee.lvc_only, "fee_unconfirmed": fee.unconfirmed,
                        "fee_src6": scaled(rate.per_eur, RATE_SCALE) if rate else None,
                    }
                )  # fmt: skip
        schema = {
            "destination_country": pl.String, "date": pl.Date, "fee_k": pl.Int64,
            "fee_amount4": pl.Int64, "fee_per": pl.String, "fee_lvc_only": pl.Boolean,
            "fee_unconfirmed": pl.Boolean, "fee_src6": pl.Int64,
        }  # fmt: skip
        return pl.DataFrame(rows, schema=schema)

    def ioss_frame(self, values: Iterable[str]) -> pl.DataFrame:
        rows = [{"seller_ioss": v, "ioss_ok": validate_identifier("ioss", v).valid} for v in values]
        return pl.DataFrame(rows, schema={"seller_ioss": pl.String, "ioss_ok": pl.Boolean})

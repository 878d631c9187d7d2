"""Load the customs rule tables from the CSV files shipped in `ewtp/data/customs/`.

Every file has `valid_from`, `valid_to` (empty = open) and `source` columns. The result is
cached per process: the files are part of the installed package.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any, TypeVar

import pycountry

from ewtp.adapters.customs.hs_nomenclature import hs2022
from ewtp.domain.customs.rules import (
    BatteryRule,
    CbecLimits,
    CbecLine,
    ConsumptionTax,
    DutyRegime,
    Fee,
    RestrictedTerm,
    RuleBook,
    SpecialGoods,
    TariffLine,
    VatRate,
)

__all__ = ["EU_MEMBERS", "load_rule_book", "read_rows", "tariff_lines_from_csv"]

EU_MEMBERS = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
T = TypeVar("T")


def read_rows(name: str) -> list[dict[str, str]]:
    """The rows of one shipped CSV file, as dicts of strings."""
    text = resources.files("ewtp.data").joinpath("customs", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _date(value: str) -> date | None:
    return date.fromisoformat(value) if value.strip() else None


def _opt_decimal(value: str) -> Decimal | None:
    return Decimal(value) if value.strip() else None


def _dated(row: dict[str, str]) -> dict[str, Any]:
    start = _date(row["valid_from"])
    if start is None:
        raise ValueError(f"row without valid_from: {row}")
    return {"valid_from": start, "valid_to": _date(row["valid_to"]), "source": row["source"]}


def _build(name: str, make: Callable[[dict[str, str]], T]) -> tuple[T, ...]:
    return tuple(make(row) for row in read_rows(name))


def fee_from_row(r: dict[str, str]) -> Fee:
    return Fee(
        r["country"], Decimal(r["amount"]), r["currency"], r["per"],
        r["lvc_only"].strip().lower() == "true", **_dated(r),
    )  # fmt: skip


def tariff_lines_from_csv(rows: Iterable[dict[str, str]]) -> list[TariffLine]:
    """Tariff lines from a TARIC-like extract: columns hs6 (or goods_code), rate, ..."""
    lines = []
    for r in rows:
        code = (r.get("hs6") or r.get("goods_code") or "").replace(" ", "").replace(".", "")
        if not code.isdigit() or len(code) < 6:
            raise ValueError(f"bad goods code {code!r}")
        lines.append(
            TariffLine(
                code[:6],
                r.get("description", ""),
                Decimal(r["rate"].rstrip("%").strip()),
                date.fromisoformat(r.get("valid_from") or "2021-07-01"),
                _date(r.get("valid_to") or ""),
                r.get("source") or "TARIC extract",
            )
        )
    return lines


@lru_cache(maxsize=1)
def load_rule_book() -> RuleBook:
    """Every shipped customs table, with the ISO country list from pycountry."""
    return RuleBook(
        vat_rates=_build(
            "vat_rates.csv", lambda r: VatRate(r["country"], Decimal(r["rate"]), **_dated(r))
        ),
        tariff=_build(
            "eu_tariff.csv",
            lambda r: TariffLine(r["hs6"], r["description"], Decimal(r["rate"]), **_dated(r)),
        ),
        duty_regimes=_build(
            "duty_regimes.csv",
            lambda r: DutyRegime(
                r["regime"],
                Decimal(r["lvc_threshold_eur"]),
                Decimal(r["flat_duty_eur"]),
                **_dated(r),
            ),
        ),
        fees=tuple(
            replace(fee, country=member)
            for fee in _build("fees.csv", fee_from_row)
            for member in (sorted(EU_MEMBERS) if fee.country == "EU" else [fee.country])
        ),
        cbec_limits=_build(
            "cbec_limits.csv",
            lambda r: CbecLimits(
                Decimal(r["transaction_limit_cny"]),
                Decimal(r["annual_limit_cny"]),
                Decimal(r["tax_factor"]),
                **_dated(r),
            ),
        ),
        cbec_lines=_build(
            "cbec_positive_list.csv",
            lambda r: CbecLine(
                r["hs_code"],
                r["description"],
                Decimal(r["vat_rate"]),
                Decimal(r["duty_rate"]),
                **_dated(r),
            ),
        ),
        consumption_taxes=_build(
            "consumption_tax.csv",
            lambda r: ConsumptionTax(
                r["hs_prefix"],
                r["category"],
                Decimal(r["rate"]),
                **_dated(r),
                basis=r["basis"].strip(),
                min_per_ml_g=_opt_decimal(r["min_per_ml_g"]),
                min_per_piece=_opt_decimal(r["min_per_piece"]),
            ),
        ),
        special_goods=_build(
            "special_goods.csv",
            lambda r: SpecialGoods(
                r["hs_prefix"],
                r["category"],
                r["excise"] == "true",
                r["relief_excluded"] == "true",
                **_dated(r),
            ),
        ),
        restricted=_build(
            "restricted.csv",
            lambda r: RestrictedTerm(r["kind"], r["match"], r["value"], **_dated(r)),
        ),
        batteries=_build(
            "batteries.csv",
            lambda r: BatteryRule(
                r["un_number"],
                r["chemistry"],
                r["allowed"] == "true",
                _opt_decimal(r["max_watt_hours"]),
                _opt_decimal(r["max_lithium_grams"]),
                r["packing_instruction"],
                **_dated(r),
            ),
        ),
        countries=frozenset(c.alpha_2 for c in pycountry.countries),
        eu_members=EU_MEMBERS,
        hs6=hs2022().subheadings,
    )

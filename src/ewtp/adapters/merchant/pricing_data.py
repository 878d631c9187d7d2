"""Load the rate card and S10 service indicators from `ewtp/data/pricing/*.csv`."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import Any

from ewtp.domain.customs.declarations import Address, Party
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.pricing import (
    FuelRow,
    ParameterRow,
    RateCard,
    RateRow,
    SurchargeRow,
    ZoneRow,
)
from ewtp.domain.merchant.shipments import ServiceLevel

__all__ = ["load_declarant", "load_rate_card", "load_service_indicators"]


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("ewtp.data").joinpath("pricing", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _dated(row: dict[str, str]) -> dict[str, Any]:
    return {
        "valid_from": date.fromisoformat(row["valid_from"]),
        "valid_to": date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
        "source": row["source"],
    }


@lru_cache(maxsize=1)
def load_rate_card() -> RateCard:
    """The shipped rate card (read once per process)."""
    return RateCard(
        zones=tuple(
            ZoneRow(**_dated(r), country=r["country"], zone=r["zone"]) for r in _rows("zones.csv")
        ),
        rates=tuple(
            RateRow(
                **_dated(r),
                service_level=ServiceLevel(r["service_level"]),
                zone=r["zone"],
                currency=r["currency"],
                base=Decimal(r["base"]),
                per_kg=Decimal(r["per_kg"]),
            )
            for r in _rows("rates.csv")
        ),
        surcharges=tuple(
            SurchargeRow(
                **_dated(r),
                code=r["code"],
                service_level=r["service_level"],
                currency=r["currency"],
                amount=Decimal(r["amount"]),
            )
            for r in _rows("surcharges.csv")
        ),
        fuel=tuple(FuelRow(**_dated(r), percent=Decimal(r["percent"])) for r in _rows("fuel.csv")),
        parameters=tuple(
            ParameterRow(**_dated(r), name=r["name"], value=Decimal(r["value"]))
            for r in _rows("parameters.csv")
        ),
    )


@lru_cache(maxsize=1)
def load_service_indicators() -> dict[ServiceLevel, str]:
    """S10 service indicator per service level (UPU S10 code list 124)."""
    return {
        ServiceLevel(r["service_level"]): r["indicator"]
        for r in _rows("s10_service_indicators.csv")
    }


def load_declarant(on: date) -> Party:
    """The declarant in force on `on` (the platform's customs desk at the EU gateway)."""
    for row in _rows("declarant.csv"):
        dated = _dated(row)
        if dated["valid_from"] <= on and (dated["valid_to"] is None or on < dated["valid_to"]):
            return Party(
                name=row["name"],
                address=Address(row["street"], row["city"], row["postcode"], row["country"]),
                eori=row["eori"],
            )
    raise InvalidInput(f"no declarant is configured for {on}", field="declarant")

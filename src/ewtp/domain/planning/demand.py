"""A forecast from a demand scenario: a week's parcels spread by shares, without randomness.

A scenario gives the week's parcel count and shares by origin hub, destination zone, day
of the week, UTC hour of the day and parcel profile (kg and m³ per parcel). Every row is
the product of its shares, so the same scenario always gives the same forecast, and
every row of a profile has that profile's exact density (so rows aggregate exactly).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ewtp.domain.errors import InvalidInput
from ewtp.domain.planning.forecast import ForecastRow, week_bounds

__all__ = ["DemandScenario", "Profile", "forecast_from_demand", "parse_scenario"]


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    share: Decimal
    kg: Decimal
    m3: Decimal


@dataclass(frozen=True, slots=True)
class DemandScenario:
    name: str
    source: str
    parcels: int
    origins: Mapping[str, Decimal]
    zones: Mapping[str, Decimal]
    days: tuple[Decimal, ...]  # Monday first
    hours: tuple[Decimal, ...]  # 00 UTC first
    profiles: tuple[Profile, ...]


def _shares(raw: Any, field: str, length: int | None = None) -> list[Decimal]:
    values = list(raw.values()) if isinstance(raw, Mapping) else list(raw or [])
    if length is not None and len(values) != length:
        raise InvalidInput(f"needs {length} shares, got {len(values)}", field=field)
    out = [Decimal(str(v)) for v in values]
    if not out or any(v < 0 for v in out) or sum(out) == 0:
        raise InvalidInput("shares must be non-negative and not all zero", field=field)
    total = sum(out)
    return [v / total for v in out]


def parse_scenario(raw: Mapping[str, Any]) -> DemandScenario:
    """Check a scenario's JSON; shares are normalised to sum to one."""
    try:
        parcels = int(raw["parcels"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput("needs a whole number of parcels", field="parcels") from exc
    if parcels < 0:
        raise InvalidInput("must not be negative", field="parcels")
    origins = dict(zip(raw.get("origins", {}), _shares(raw.get("origins"), "origins"), strict=True))
    zones = dict(zip(raw.get("zones", {}), _shares(raw.get("zones"), "zones"), strict=True))
    profiles_raw = list(raw.get("profiles") or [])
    shares = _shares([p.get("share", 0) for p in profiles_raw], "profiles")
    profiles = []
    for i, (p, share) in enumerate(zip(profiles_raw, shares, strict=True)):
        kg, m3 = Decimal(str(p.get("kg", 0))), Decimal(str(p.get("m3", 0)))
        if kg <= 0 or m3 <= 0:
            raise InvalidInput("kg and m3 must be positive", field=f"profiles[{i}]")
        profiles.append(Profile(str(p.get("name", i)), share, kg, m3))
    return DemandScenario(
        name=str(raw.get("name", "")),
        source=str(raw.get("source", "")),
        parcels=parcels,
        origins=origins,
        zones=zones,
        days=tuple(_shares(raw.get("days"), "days", 7)),
        hours=tuple(_shares(raw.get("hours"), "hours", 24)),
        profiles=tuple(profiles),
    )


def forecast_from_demand(scenario: DemandScenario, week: date) -> list[ForecastRow]:
    """One row per origin, zone, hour of the week and profile with a positive share."""
    start, _ = week_bounds(week)
    out: list[ForecastRow] = []
    q = Decimal("0.001")
    total = Decimal(scenario.parcels)
    for d, day_share in enumerate(scenario.days):
        for hr, hour_share in enumerate(scenario.hours):
            when = start + timedelta(days=d, hours=hr)
            slot = total * day_share * hour_share
            if slot == 0:
                continue
            for origin, o_share in scenario.origins.items():
                for zone, z_share in scenario.zones.items():
                    for p in scenario.profiles:
                        parcels = (slot * o_share * z_share * p.share).quantize(q)
                        if parcels == 0:
                            continue
                        out.append(
                            ForecastRow(
                                len(out) + 1, origin, zone, when, parcels,
                                parcels * p.kg, parcels * p.m3,
                            )
                        )  # fmt: skip
    return out

"""Distances, block times and CO2 of a leg derived from hub coordinates.

* Great-circle distance: haversine on a sphere of the IUGG mean Earth radius.
* Planned distance = great-circle × `distance_factor` + `distance_add_km` (GLEC: air
  uses GCD + 95 km; road and rail use the shortest feasible distance, which we
  approximate with a detour factor).
* Block minutes = `fixed_minutes` + planned distance / `speed_kmh` × 60, rounded to the
  nearest 5 minutes (taxi, climb and descent in `fixed_minutes` for air).
* CO2e per kg = intensity (kg CO2e per tonne-km) × planned distance / 1000, rounded
  half-up to 4 decimals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["EARTH_RADIUS_KM", "ModeFactors", "block_minutes", "co2_kg_per_kg", "great_circle_km"]

#: IUGG mean radius of the Earth (R1), km.
EARTH_RADIUS_KM = 6371.0088
_ROUND_TO_MINUTES = 5
_CO2_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class ModeFactors:
    mode: str
    co2e_kg_per_tkm: Decimal
    distance_factor: Decimal
    distance_add_km: Decimal
    speed_kmh: Decimal
    fixed_minutes: int

    def planned_km(self, great_circle: float) -> Decimal:
        gcd = Decimal(str(round(great_circle, 1)))
        return gcd * self.distance_factor + self.distance_add_km


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance between two points given in degrees."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def block_minutes(factors: ModeFactors, planned_km: Decimal) -> int:
    raw = factors.fixed_minutes + float(planned_km / factors.speed_kmh) * 60
    return int(round(raw / _ROUND_TO_MINUTES) * _ROUND_TO_MINUTES)


def co2_kg_per_kg(factors: ModeFactors, planned_km: Decimal) -> Decimal:
    return (factors.co2e_kg_per_tkm * planned_km / 1000).quantize(_CO2_PLACES, ROUND_HALF_UP)

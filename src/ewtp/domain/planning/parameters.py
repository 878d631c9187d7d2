"""Penalties and windows of a capacity plan, with their documented defaults.

The late penalty is per parcel and hour past the promise, the unserved penalty per parcel
that no departure carries. Their ratio bounds how late a delivery is still worth making:
at the defaults (0.50 EUR per parcel-hour, 24 EUR per parcel) a parcel 48 hours late costs
as much as not carrying it, so no delivery later than that enters the model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from ewtp.domain.errors import InvalidInput
from ewtp.domain.network.routing import PROMISE

__all__ = ["PROMISES", "PlanParameters"]

#: Promise per service level, door to door from the moment a parcel is ready. `express` and
#: `standard` carry the platform's 72-hour promise (`domain.network.routing.PROMISE`);
#: `economy` (the cheapest quote option) is planned against an illustrative 144 hours.
PROMISES: dict[str, timedelta] = {
    "express": PROMISE,
    "standard": PROMISE,
    "economy": timedelta(hours=144),
}


@dataclass(frozen=True, slots=True)
class PlanParameters:
    """What lateness and unserved parcels cost, and how far past the week departures count."""

    late_per_parcel_hour: float = 0.50
    unserved_per_parcel: float = 24.0
    horizon_days: int = 7
    #: Departures at or above this load factor, or with a positive shadow price, are
    #: reported as bottlenecks.
    bottleneck_load_factor: float = 0.999

    def __post_init__(self) -> None:
        for name in ("late_per_parcel_hour", "unserved_per_parcel"):
            if not math.isfinite(getattr(self, name)):
                raise InvalidInput("must be a finite number", field=name)
        if self.late_per_parcel_hour < 0:
            raise InvalidInput("must not be negative", field="late_per_parcel_hour")
        if self.unserved_per_parcel <= 0:
            raise InvalidInput("must be positive", field="unserved_per_parcel")
        if not 1 <= self.horizon_days <= 28:
            raise InvalidInput("must be within 1..28", field="horizon_days")

    @property
    def worth_hours(self) -> float:
        """Hours late at which a delivery costs as much as leaving the parcel unserved."""
        if self.late_per_parcel_hour == 0:
            return float("inf")
        return self.unserved_per_parcel / self.late_per_parcel_hour

"""Use case `merchant_overview`: what the merchant's home page shows.

The on-time share is over shipments delivered in the last 30 days: delivered (the time
of the delivery scan) within the platform's promise (`domain.network.routing.PROMISE`,
72 hours) of the time the parcel was ready.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime, timedelta

from ewtp.domain.lifecycle import ShipmentStatus
from ewtp.domain.network.routing import PROMISE
from ewtp.services.unit_of_work import AbstractUnitOfWork

__all__ = [
    "AbstractOverviewReader",
    "Overview",
    "OverviewUnitOfWork",
    "Watched",
    "merchant_overview",
]

ON_TIME_WINDOW = timedelta(days=30)
LISTED = 10


@dataclass(frozen=True, slots=True)
class Watched:
    """A shipment worth a look: at risk, held by customs, or in exception."""

    shipment_id: str
    tracking_number: str | None
    status: ShipmentStatus
    why: str  # "at_risk", "customs_hold" or "exception"
    since: datetime


@dataclass(frozen=True, slots=True)
class Overview:
    by_status: dict[ShipmentStatus, int]
    delivered_30d: int
    on_time_30d: int
    watched: list[Watched]
    exceptions: list[Watched]

    @property
    def on_time_share(self) -> float | None:
        return self.on_time_30d / self.delivered_30d if self.delivered_30d else None


class AbstractOverviewReader(abc.ABC):
    @abc.abstractmethod
    def counts_by_status(self, account_id: str) -> dict[ShipmentStatus, int]: ...

    @abc.abstractmethod
    def delivered_since(
        self, account_id: str, since: datetime, promise: timedelta
    ) -> tuple[int, int]:
        """(delivered, delivered within `promise` of ready) with delivery at or after `since`."""

    @abc.abstractmethod
    def watched(self, account_id: str, limit: int) -> list[Watched]:
        """Open shipments at risk of missing the promise or held by customs."""

    @abc.abstractmethod
    def recent_exceptions(self, account_id: str, limit: int) -> list[Watched]: ...


class OverviewUnitOfWork(AbstractUnitOfWork):
    overview: AbstractOverviewReader


def merchant_overview(uow: OverviewUnitOfWork, account_id: str, now: datetime) -> Overview:
    with uow:
        counts = uow.overview.counts_by_status(account_id)
        delivered, on_time = uow.overview.delivered_since(account_id, now - ON_TIME_WINDOW, PROMISE)
        watched = uow.overview.watched(account_id, LISTED)
        exceptions = uow.overview.recent_exceptions(account_id, LISTED)
    by_status = {s: counts.get(s, 0) for s in ShipmentStatus}
    return Overview(by_status, delivered, on_time, watched, exceptions)

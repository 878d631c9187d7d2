"""The real engines behind the merchant platform's ports.

The route engine (`ewtp.services.network.routing`) is adapted here, with a plan cache; the
customs engine in `adapters/merchant/customs.py`; labels and the rate card beside them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.merchant.customs import LandedCostCustoms
from ewtp.adapters.merchant.labels import ReportlabLabelRenderer
from ewtp.adapters.merchant.pricing_data import load_rate_card, load_service_indicators
from ewtp.adapters.ttl_cache import TtlCache, ensure_io_allowed
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.pricing import RateCard
from ewtp.domain.merchant.quotes import RouteLeg, RouteOption
from ewtp.domain.merchant.shipments import ServiceLevel
from ewtp.domain.network.routing import RoutePlan, promise_met
from ewtp.services.merchant.ports import (
    AbstractCustomsEngine,
    AbstractLabelRenderer,
    AbstractRoutePlanner,
)
from ewtp.services.network.routing import compiled_network, origin_hub_for_country, plan_route

__all__ = ["MerchantEngines", "RouteEnginePlanner", "build_engines"]


class RouteEnginePlanner(AbstractRoutePlanner):
    """Plans on the stored network through `ewtp.services.network.routing`.

    Quotes on one lane in one minute share a plan: departures are whole minutes, so a
    search from the ready time rounded up to the minute finds the same itineraries, and
    `promise_met` is still judged from the true ready time. Cached plans and origin hubs
    live `CACHE_SECONDS` (`adapters/ttl_cache.py`, refreshed ahead past half of it), so a
    network reload reaches quotes within that time. In a minute's last `PREFETCH_BEFORE`,
    one quote on the lane also plans the next minute, so quotes do not all miss the cache
    together when the minute turns.
    """

    CACHE_SECONDS = 30.0
    CACHE_ENTRIES = 2048
    PREFETCH_BEFORE = timedelta(seconds=20)

    def __init__(
        self, session_factory: sessionmaker[Session], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._factory = session_factory
        self._plans: TtlCache[tuple[str, str, datetime], RoutePlan] = TtlCache(
            self.CACHE_SECONDS, self.CACHE_ENTRIES, clock
        )
        self._origins: TtlCache[str, str] = TtlCache(self.CACHE_SECONDS, clock=clock)

    def _cached_plan(self, origin: str, destination: str, ready: datetime) -> RoutePlan:
        minute = ready.astimezone(UTC).replace(second=0, microsecond=0)
        if minute < ready:
            minute += timedelta(minutes=1)
        plan = self._plans.get(
            (origin, destination, minute),
            lambda: plan_route(self._uow(), origin, destination, minute),
        )
        if minute - ready < self.PREFETCH_BEFORE:  # plan the lane's next minute ahead
            later = minute + timedelta(minutes=1)
            self._plans.prefetch(
                (origin, destination, later),
                lambda: plan_route(self._uow(), origin, destination, later),
            )
        return plan

    def _uow(self) -> SqlAlchemyNetworkUnitOfWork:
        ensure_io_allowed()
        return SqlAlchemyNetworkUnitOfWork(self._factory)

    def origin_hub_for_country(self, country: str) -> str:
        try:
            return self._origins.get(country, lambda: origin_hub_for_country(self._uow(), country))
        except InvalidInput as exc:
            raise InvalidInput(exc.message, field="sender.country") from None

    def hub_country(self, hub: str) -> str:
        found = compiled_network(self._uow()).hubs.get(hub)
        if found is None:
            raise InvalidInput(f"unknown hub {hub!r}", field="origin_hub")
        return found.country

    def plan(
        self, origin_hub: str, destination_country: str, ready: datetime
    ) -> tuple[RouteOption, ...]:
        try:
            plan = self._cached_plan(origin_hub, destination_country, ready)
        except InvalidInput as exc:
            field = {"origin": "origin_hub", "destination": "recipient.country"}
            raise InvalidInput(exc.message, field=field.get(exc.field or "", exc.field)) from None
        return tuple(
            RouteOption(
                legs=tuple(
                    RouteLeg(
                        leg.service_id,
                        leg.mode,
                        leg.origin,
                        leg.destination,
                        leg.departure_utc,
                        leg.arrival_utc,
                    )
                    for leg in it.legs
                ),
                delivered_utc=it.delivered_utc,
                cost_per_kg=it.cost_per_kg,
                co2_kg_per_kg=it.co2_kg_per_kg,
                promise_met=promise_met(ready, it),
            )
            for it in plan.options
        )


@dataclass(frozen=True)
class MerchantEngines:
    planner: AbstractRoutePlanner
    customs: AbstractCustomsEngine
    labels: AbstractLabelRenderer
    card: RateCard
    indicators: dict[ServiceLevel, str]


def build_engines(session_factory: sessionmaker[Session]) -> MerchantEngines:
    return MerchantEngines(
        planner=RouteEnginePlanner(session_factory),
        customs=LandedCostCustoms(session_factory),
        labels=ReportlabLabelRenderer(),
        card=load_rate_card(),
        indicators=load_service_indicators(),
    )

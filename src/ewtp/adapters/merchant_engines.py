"""The real engines behind the merchant platform's ports.

The route engine (feat/network) and the customs engine (feat/customs) are adapted here;
until their branches are merged, quoting and booking answer 503 saying what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from ewtp.adapters.labels import ReportlabLabelRenderer
from ewtp.adapters.pricing_data import load_rate_card, load_service_indicators
from ewtp.domain.pricing import RateCard
from ewtp.domain.shipments import ServiceLevel
from ewtp.services.merchant_ports import (
    AbstractCustomsEngine,
    AbstractLabelRenderer,
    AbstractRoutePlanner,
)

__all__ = ["MerchantEngines", "build_engines"]


@dataclass(frozen=True)
class MerchantEngines:
    planner: AbstractRoutePlanner | None
    customs: AbstractCustomsEngine | None
    labels: AbstractLabelRenderer
    card: RateCard
    indicators: dict[ServiceLevel, str]


def build_engines(session_factory: sessionmaker[Session]) -> MerchantEngines:  # noqa: ARG001
    return MerchantEngines(
        planner=None,
        customs=None,
        labels=ReportlabLabelRenderer(),
        card=load_rate_card(),
        indicators=load_service_indicators(),
    )

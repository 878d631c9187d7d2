"""Use case: the inbound forecast of a hub's local day, from booked shipments' legs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ewtp.domain.hub.inbound import InboundForecast, forecast
from ewtp.services.hub.context import hub_model, require_hub
from ewtp.services.hub.ports import HubUnitOfWork
from ewtp.services.network.routing import compiled_network

__all__ = ["forecast_inbound", "local_day_bounds"]


def local_day_bounds(timezone: str, day: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of a local date (23 or 25 hours on DST change days)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return start, end


def forecast_inbound(uow: HubUnitOfWork, hub: str, day: date) -> InboundForecast:
    """Expected parcels, kg, m³ and ULDs per arriving service and per hour."""
    net = compiled_network(uow)
    code = require_hub(net, hub)
    _digest, model = hub_model(uow, code, day)
    start, end = local_day_bounds(net.hubs[code].timezone, day)
    with uow:
        parcels = uow.inbound.arriving(code, start, end)
    return forecast(code, parcels, model.parameters.uld_kg, model.parameters.uld_m3)

"""The network, read-only: hubs, delivery zones and scheduled services."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.api.schemas.network import (
    HubPublic,
    HubsPublic,
    ServicePublic,
    ServicesPublic,
    ZonePublic,
    ZonesPublic,
)
from ewtp.http.deps import SessionFactoryDep
from ewtp.services.network import views

__all__ = ["router"]

router = APIRouter(prefix="/v1/network", tags=["network"])
# The use cases refuse with NotFound while no network is loaded (`ewtp seed`).
NO_NETWORK: dict[int | str, dict[str, Any]] = {404: {"description": "No network is loaded yet."}}


@router.get("/hubs", response_model=HubsPublic, responses=NO_NETWORK)
def list_hubs(factory: SessionFactoryDep) -> HubsPublic:
    """List every hub with its time zone and minimum connection time."""
    rows = views.hubs(SqlAlchemyNetworkUnitOfWork(factory))
    return HubsPublic(data=[HubPublic(**r) for r in rows], count=len(rows))


@router.get("/zones", response_model=ZonesPublic, responses=NO_NETWORK)
def list_zones(factory: SessionFactoryDep) -> ZonesPublic:
    """List every delivery zone with its hub and last-mile hours."""
    rows = views.zones(SqlAlchemyNetworkUnitOfWork(factory))
    return ZonesPublic(data=[ZonePublic(**r) for r in rows], count=len(rows))


@router.get("/services", response_model=ServicesPublic, responses=NO_NETWORK)
def list_services(factory: SessionFactoryDep) -> ServicesPublic:
    """List every scheduled service (departure in the origin's local time)."""
    rows = views.services(SqlAlchemyNetworkUnitOfWork(factory))
    return ServicesPublic(data=[ServicePublic(**r) for r in rows], count=len(rows))

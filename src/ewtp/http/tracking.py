"""FastAPI dependencies of the tracking routers: their unit of work, ETA engine, URL guard."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork
from ewtp.adapters.webhooks.sender import SsrfGuard
from ewtp.http.deps import SessionFactoryDep, SettingsDep
from ewtp.services.tracking.live_eta import RouteEta

__all__ = ["GuardDep", "RouteEtaDep", "TrackingUowDep"]


def get_tracking_uow(factory: SessionFactoryDep) -> SqlAlchemyTrackingUnitOfWork:
    return SqlAlchemyTrackingUnitOfWork(factory)


def get_route_eta(factory: SessionFactoryDep) -> RouteEta:
    """A fresh per-request ETA engine (its plan cache lives as long as the request)."""
    return RouteEta(lambda: SqlAlchemyNetworkUnitOfWork(factory))


def get_guard(settings: SettingsDep) -> SsrfGuard:
    return SsrfGuard(
        allow_private=settings.webhook_allow_private, allow_http=settings.webhook_allow_http
    )


TrackingUowDep = Annotated[SqlAlchemyTrackingUnitOfWork, Depends(get_tracking_uow)]
RouteEtaDep = Annotated[RouteEta, Depends(get_route_eta)]
GuardDep = Annotated[SsrfGuard, Depends(get_guard)]

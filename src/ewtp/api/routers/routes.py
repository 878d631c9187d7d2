"""Route search: fastest itinerary, Pareto options and the 72-hour promise."""

from __future__ import annotations

from fastapi import APIRouter

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.api.schemas.routes import RoutePlanPublic, RouteSearchCreate
from ewtp.domain.network.routing import plan_to_json
from ewtp.http.deps import SessionFactoryDep
from ewtp.services.network.routing import plan_route

__all__ = ["router"]

router = APIRouter(prefix="/v1/routes", tags=["routes"])


@router.post("/search", response_model=RoutePlanPublic)
def search_routes(body: RouteSearchCreate, factory: SessionFactoryDep) -> RoutePlanPublic:
    """Plan a route from a hub to a country or hub for a ready time (timezone required)."""
    plan = plan_route(
        SqlAlchemyNetworkUnitOfWork(factory),
        body.origin,
        body.destination,
        body.ready,
        body.horizon_days,
    )
    return RoutePlanPublic.model_validate(plan_to_json(plan))

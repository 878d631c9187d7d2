"""Route search: fastest itinerary, Pareto options and the 72-hour promise, one or many."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.api.schemas.routes import (
    RouteBatchCreate,
    RoutePlanPublic,
    RoutePlansPublic,
    RouteSearchCreate,
)
from ewtp.domain.network.route_json import PlanJsonWriter
from ewtp.domain.network.routing import plan_to_json
from ewtp.http.deps import SessionFactoryDep
from ewtp.services.network.batch import RouteQuery, plan_routes
from ewtp.services.network.routing import plan_route

__all__ = ["router"]

router = APIRouter(prefix="/v1/routes", tags=["routes"])


@router.post("/search", response_model=RoutePlanPublic, name="search_routes")
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


@router.post("/batch", response_model=RoutePlansPublic, name="search_routes_batch")
def batch_routes(body: RouteBatchCreate, factory: SessionFactoryDep) -> Response:
    """Plan up to 10,000 routes at once; `data` holds one answer per query, in order."""
    plans = plan_routes(
        SqlAlchemyNetworkUnitOfWork(factory),
        [RouteQuery(q.origin, q.destination, q.ready) for q in body.queries],
        body.horizon_days,
    )
    # The writer's text equals the documented model's JSON; validating 10,000 plans
    # again through pydantic would cost more than answering them.
    writer = PlanJsonWriter()
    answers = ", ".join(writer.dumps(plan) for plan in plans)
    return Response(
        f'{{"data": [{answers}], "count": {len(plans)}}}', media_type="application/json"
    )

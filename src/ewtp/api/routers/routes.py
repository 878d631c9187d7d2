"""Route search: fastest itinerary, Pareto options and the 72-hour promise."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ewtp.adapters.db.network.uow import SqlAlchemyNetworkUnitOfWork
from ewtp.domain.network.routing import plan_to_json
from ewtp.http.deps import SessionFactoryDep
from ewtp.services.network.routing import MAX_HORIZON_DAYS, plan_route

__all__ = ["router"]

router = APIRouter(prefix="/v1/routes", tags=["routes"])


class RouteSearchCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {"origin": "HGH", "destination": "FR", "ready": "2026-11-23T10:00:00+08:00"}
        }
    )
    origin: str = Field(min_length=2, max_length=8, description="Origin hub code.")
    destination: str = Field(
        min_length=2, max_length=8, description="ISO country code (a zone) or hub code."
    )
    ready: AwareDatetime = Field(description="When the parcel is ready; must carry a time zone.")
    horizon_days: int = Field(default=14, ge=1, le=MAX_HORIZON_DAYS)


class LegPublic(BaseModel):
    service_id: str
    mode: str
    origin: str
    destination: str
    departure_utc: str
    arrival_utc: str


class ItineraryPublic(BaseModel):
    delivered_utc: str
    arrival_utc: str
    hours: float
    cost_per_kg: str
    co2_kg_per_kg: str
    legs: list[LegPublic]


class RoutePlanPublic(BaseModel):
    origin: str
    destination: str
    ready_utc: str
    fastest: ItineraryPublic | None
    options: list[ItineraryPublic]
    promise_met: bool


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

"""Request and response schemas of route search: itineraries, Pareto options, the promise."""

from __future__ import annotations

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ewtp.services.network.batch import MAX_BATCH
from ewtp.services.network.routing import MAX_HORIZON_DAYS

__all__ = [
    "ItineraryPublic",
    "RouteBatchCreate",
    "RouteLegPublic",
    "RoutePlanPublic",
    "RoutePlansPublic",
    "RouteQueryCreate",
    "RouteSearchCreate",
]


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


class RouteLegPublic(BaseModel):
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
    legs: list[RouteLegPublic]


class RoutePlanPublic(BaseModel):
    origin: str
    destination: str
    ready_utc: str
    fastest: ItineraryPublic | None
    options: list[ItineraryPublic]
    promise_met: bool


class RouteQueryCreate(BaseModel):
    origin: str = Field(min_length=2, max_length=8, description="Origin hub code.")
    destination: str = Field(
        min_length=2, max_length=8, description="ISO country code (a zone) or hub code."
    )
    ready: AwareDatetime = Field(description="When the parcel is ready; must carry a time zone.")


class RouteBatchCreate(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "queries": [
                    {"origin": "HGH", "destination": "FR", "ready": "2026-11-23T02:00:00Z"},
                    {"origin": "CGO", "destination": "LGG", "ready": "2026-11-23T02:00:00Z"},
                ],
                "horizon_days": 14,
            }
        }
    )
    queries: list[RouteQueryCreate] = Field(min_length=1, max_length=MAX_BATCH)
    horizon_days: int = Field(default=14, ge=1, le=MAX_HORIZON_DAYS)


class RoutePlansPublic(BaseModel):
    data: list[RoutePlanPublic]
    count: int

"""Response schemas of the network endpoints: hubs, delivery zones, scheduled services."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = [
    "HubPublic",
    "HubsPublic",
    "ServicePublic",
    "ServicesPublic",
    "ZonePublic",
    "ZonesPublic",
]


class HubPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "code": "LGG",
                "name": "Liège Airport (EU gateway)",
                "country": "BE",
                "lat": 50.3811,
                "lon": 5.2634,
                "timezone": "Europe/Brussels",
                "min_connection_minutes": 240,
            }
        }
    )
    code: str
    name: str
    country: str
    lat: float
    lon: float
    timezone: str
    min_connection_minutes: int


class HubsPublic(BaseModel):
    data: list[HubPublic]
    count: int


class ZonePublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"country": "FR", "hub": "CDG", "last_mile_hours": "24"}}
    )
    country: str
    hub: str
    last_mile_hours: str


class ZonesPublic(BaseModel):
    data: list[ZonePublic]
    count: int


class ServicePublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "AIR-HGH-LGG-1",
                "mode": "air",
                "origin": "HGH",
                "destination": "LGG",
                "days": "1234567",
                "departure_local": "02:00",
                "duration_minutes": 675,
                "valid_from": "2024-01-01",
                "valid_to": None,
                "capacity_kg": "100000",
                "capacity_m3": "650",
                "cost_per_kg": "3.20",
                "co2_kg_per_kg": "8.0263",
                "source": "illustrative schedule",
            }
        }
    )
    id: str
    mode: str
    origin: str
    destination: str
    days: str
    departure_local: str
    duration_minutes: int
    valid_from: str
    valid_to: str | None
    capacity_kg: str
    capacity_m3: str
    cost_per_kg: str
    co2_kg_per_kg: str
    source: str


class ServicesPublic(BaseModel):
    data: list[ServicePublic]
    count: int

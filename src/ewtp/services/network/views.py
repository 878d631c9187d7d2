"""Plain-dict views of the network for the CLI and the API (column names are the contract)."""

from __future__ import annotations

from typing import Any

from ewtp.domain.network.model import Connection, Service
from ewtp.domain.network.routing import iso_z
from ewtp.services.network.coverage import CoverageRow
from ewtp.services.network.ports import LoadResult, NetworkUnitOfWork, require_snapshot

__all__ = [
    "CONNECTION_COLUMNS",
    "COVERAGE_COLUMNS",
    "HUB_COLUMNS",
    "OPTION_COLUMNS",
    "SERVICE_COLUMNS",
    "ZONE_COLUMNS",
    "connection",
    "coverage_row",
    "hubs",
    "load_result",
    "option_rows",
    "plan_title",
    "service",
    "services",
    "zones",
]

HUB_COLUMNS = ["code", "name", "country", "lat", "lon", "timezone", "min_connection_minutes"]
ZONE_COLUMNS = ["country", "hub", "last_mile_hours"]
SERVICE_COLUMNS = [
    "id", "mode", "origin", "destination", "days", "departure_local", "duration_minutes",
    "valid_from", "valid_to", "capacity_kg", "capacity_m3", "cost_per_kg", "co2_kg_per_kg",
    "source",
]  # fmt: skip
CONNECTION_COLUMNS = [
    "service_id", "mode", "origin", "destination", "departure_utc", "arrival_utc",
    "cost_per_kg", "co2_kg_per_kg", "capacity_kg",
]  # fmt: skip
COVERAGE_COLUMNS = [
    "origin", "zone", "hub", "ready_times", "met_share", "p50_hours", "p95_hours", "unreachable",
]  # fmt: skip
OPTION_COLUMNS = ["option", "delivered_utc", "hours", "cost_per_kg", "co2_kg_per_kg", "legs"]


def hubs(uow: NetworkUnitOfWork) -> list[dict[str, Any]]:
    snap = require_snapshot(uow)
    return [
        {
            "code": h.code,
            "name": h.name,
            "country": h.country,
            "lat": h.lat,
            "lon": h.lon,
            "timezone": h.timezone,
            "min_connection_minutes": h.min_connection_minutes,
        }
        for h in sorted(snap.hubs, key=lambda h: h.code)
    ]


def zones(uow: NetworkUnitOfWork) -> list[dict[str, Any]]:
    snap = require_snapshot(uow)
    return [
        {"country": z.country, "hub": z.hub, "last_mile_hours": str(z.last_mile_hours)}
        for z in sorted(snap.zones, key=lambda z: z.country)
    ]


def service(s: Service) -> dict[str, Any]:
    return {
        "id": s.id,
        "mode": s.mode.value,
        "origin": s.origin,
        "destination": s.destination,
        "days": "".join(str(d) for d in sorted(s.days)),
        "departure_local": s.departure_local.strftime("%H:%M"),
        "duration_minutes": s.duration_minutes,
        "valid_from": s.valid_from.isoformat(),
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        "capacity_kg": str(s.capacity_kg),
        "capacity_m3": str(s.capacity_m3),
        "cost_per_kg": str(s.cost_per_kg),
        "co2_kg_per_kg": str(s.co2_kg_per_kg),
        "source": s.source,
    }


def services(uow: NetworkUnitOfWork) -> list[dict[str, Any]]:
    snap = require_snapshot(uow)
    return [service(s) for s in sorted(snap.services, key=lambda s: (s.id, s.valid_from))]


def connection(c: Connection) -> dict[str, Any]:
    return {
        "service_id": c.service_id,
        "mode": c.mode.value,
        "origin": c.origin,
        "destination": c.destination,
        "departure_utc": iso_z(c.departure_utc),
        "arrival_utc": iso_z(c.arrival_utc),
        "cost_per_kg": str(c.cost_per_kg),
        "co2_kg_per_kg": str(c.co2_kg_per_kg),
        "capacity_kg": str(c.capacity_kg),
    }


def coverage_row(r: CoverageRow) -> dict[str, Any]:
    return {
        "origin": r.origin,
        "zone": r.zone,
        "hub": r.hub,
        "ready_times": r.ready_times,
        "met_share": r.met_share,
        "p50_hours": r.p50_hours,
        "p95_hours": r.p95_hours,
        "unreachable": r.unreachable,
    }


def load_result(r: LoadResult) -> dict[str, Any]:
    return {
        "name": r.name,
        "version": r.version,
        "changed": r.changed,
        "hubs": r.hubs,
        "services": r.services,
        "zones": r.zones,
    }


def option_rows(plan: dict[str, Any]) -> list[dict[str, Any]]:
    """One table row per Pareto option, legs as `ID ORIGIN>DEST dep` text."""
    return [
        {
            "option": n,
            "delivered_utc": o["delivered_utc"],
            "hours": o["hours"],
            "cost_per_kg": o["cost_per_kg"],
            "co2_kg_per_kg": o["co2_kg_per_kg"],
            "legs": " | ".join(
                f"{leg['service_id']} {leg['origin']}>{leg['destination']} {leg['departure_utc']}"
                for leg in o["legs"]
            ),
        }
        for n, o in enumerate(plan["options"], start=1)
    ]


def plan_title(plan: dict[str, Any]) -> str:
    met = "met" if plan["promise_met"] else "NOT met"
    return f"{plan['origin']} -> {plan['destination']}, ready {plan['ready_utc']}: 72-hour promise {met}"

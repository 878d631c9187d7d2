"""Plain rows of hub results for the CLI, the API and the operator console."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ewtp.domain.hub import HubModel, PlannedDeparture, SortDecision, SortPlan
from ewtp.domain.hub.inbound import InboundForecast
from ewtp.domain.hub.kpis import HubKpis
from ewtp.domain.network.routing import iso_z

__all__ = [
    "DECISION_COLUMNS",
    "PLAN_COLUMNS",
    "decision_columns",
    "decision_row",
    "inbound_view",
    "kpis_view",
    "model_rows",
    "model_view",
    "plan_row",
    "plan_view",
]

PLAN_COLUMNS = [
    "service_id",
    "destination",
    "departure_utc",
    "cutoff_utc",
    "opens_utc",
    "chutes",
    "serves",
    "merged_with",
]
DECISION_COLUMNS = [
    "tracking_number",
    "scanned_at",
    "reason",
    "chute",
    "service_id",
    "departure_utc",
    "cutoff_utc",
    "promise_holds",
    "expected_delivery_utc",
]


_M3 = Decimal("0.001")


def _z(moment: Any) -> str | None:
    return None if moment is None else iso_z(moment)


def model_view(model: HubModel) -> dict[str, Any]:
    t = model.times
    return {
        "code": model.code,
        "name": model.name,
        "on": model.on.isoformat(),
        "processing_minutes": round(model.processing.total_seconds() / 60, 2),
        "processing": {
            "uld_breakdown_minutes": t.uld_breakdown_minutes,
            "induction_seconds": t.induction_seconds,
            "sorter_transit_minutes": t.sorter_transit_minutes,
        },
        "truck_loading_minutes": t.truck_loading_minutes,
        "inspection_minutes": t.inspection_minutes,
        "chute_open_minutes": t.chute_open_minutes,
        "induction_rate_per_operator": t.induction_rate_per_operator,
        "sorter_rate_per_hour": model.sorter_rate_per_hour(),
        "inspection_selection_rate": str(model.parameters.inspection_selection_rate),
        "chutes_per_departure": model.parameters.chutes_per_departure,
        "reroute_horizon_hours": model.parameters.reroute_horizon_hours,
        "uld_kg": str(model.parameters.uld_kg),
        "uld_m3": str(model.parameters.uld_m3),
        "resources": [
            {
                "resource": r.resource.value,
                "count": r.count,
                "rate_per_hour": r.rate_per_hour,
                "source": r.source,
            }
            for r in model.resources
        ],
        "shifts": [
            {
                "shift": s.name,
                "resource": s.resource.value,
                "start": f"{s.start_minute // 60:02d}:{s.start_minute % 60:02d}",
                "end": f"{s.end_minute // 60:02d}:{s.end_minute % 60:02d}",
                "staffed": s.staffed,
            }
            for s in model.shifts
        ],
        "source": model.source,
    }


def model_rows(model: HubModel) -> list[dict[str, Any]]:
    """The model as name/value rows, processing time first (the table and CSV view)."""
    view = model_view(model)
    rows: list[dict[str, Any]] = [
        {"item": "processing_minutes", "value": view["processing_minutes"], "source": "derived"}
    ]
    for key in (
        "truck_loading_minutes",
        "inspection_minutes",
        "chute_open_minutes",
        "induction_rate_per_operator",
        "sorter_rate_per_hour",
        "inspection_selection_rate",
        "chutes_per_departure",
        "reroute_horizon_hours",
    ):
        rows.append({"item": key, "value": view[key], "source": ""})
    for r in view["resources"]:
        rate = f" x {r['rate_per_hour']}/h" if r["rate_per_hour"] else ""
        rows.append({"item": r["resource"], "value": f"{r['count']}{rate}", "source": r["source"]})
    for s in view["shifts"]:
        rows.append(
            {
                "item": f"shift {s['shift']} {s['resource']}",
                "value": f"{s['start']}-{s['end']} x {s['staffed']}",
                "source": "",
            }
        )
    return rows


def plan_row(p: PlannedDeparture) -> dict[str, Any]:
    return {
        "service_id": p.departure.service_id,
        "destination": p.departure.destination,
        "departure_utc": iso_z(p.departure.departure_utc),
        "cutoff_utc": iso_z(p.departure.cutoff_utc),
        "opens_utc": iso_z(p.opens_utc),
        "chutes": " ".join(p.chutes),
        "serves": " ".join(p.serves),
        "merged_with": p.merged_with,
    }


def plan_view(plan: SortPlan, departures: Sequence[PlannedDeparture]) -> dict[str, Any]:
    keys = {(p.departure.service_id, p.departure.departure_utc) for p in departures}
    mine = [
        p for p in plan.departures if (p.departure.service_id, p.departure.departure_utc) in keys
    ]
    special = plan.special
    per = plan.hub.parameters.chutes_per_departure
    return {
        "hub": plan.hub.code,
        "date": plan.day.isoformat(),
        "processing_minutes": round(plan.hub.processing.total_seconds() / 60, 2),
        "truck_loading_minutes": plan.hub.times.truck_loading_minutes,
        "outbound_chutes": plan.outbound_chutes,
        "departures": [
            {**plan_row(p), "chutes": list(p.chutes), "serves": list(p.serves)} for p in mine
        ],
        "special_chutes": {
            "inspection": list(special.inspection),
            "reject": list(special.reject),
            "hold": list(special.hold),
            "delivery": list(special.delivery),
        },
        "merged": [
            f"{p.departure.service_id}@{iso_z(p.departure.departure_utc)}"
            for p in mine
            if p.merged_with
        ],
        "short": [
            f"{p.departure.service_id}@{iso_z(p.departure.departure_utc)}" for p in mine if p.short
        ],
        "unplaced": [
            f"{p.departure.service_id}@{iso_z(p.departure.departure_utc)}"
            for p in mine
            if not p.placed
        ],
        "chutes_needed": len(mine) * per,
    }


def decision_row(d: SortDecision) -> dict[str, Any]:
    dep = d.departure
    return {
        "tracking_number": d.tracking_number,
        "scanned_at": iso_z(d.scanned_at),
        "reason": d.reason.value,
        "chute": d.chute,
        "service_id": dep.service_id if dep else None,
        "departure_utc": _z(dep.departure_utc) if dep else None,
        "cutoff_utc": _z(dep.cutoff_utc) if dep else None,
        "promise_holds": d.promise_holds,
        "expected_delivery_utc": _z(d.expected_delivery_utc),
    }


def decision_columns(decisions: Sequence[SortDecision]) -> dict[str, list[Any]]:
    """Decisions as columns (times as aware datetimes), for writing whole files."""
    cols: dict[str, list[Any]] = {c: [] for c in DECISION_COLUMNS}
    number, scanned, reason, chute = (cols[c] for c in DECISION_COLUMNS[:4])
    service, departure, cutoff, holds, eta = (cols[c] for c in DECISION_COLUMNS[4:])
    for d in decisions:
        dep = d.departure
        number.append(d.tracking_number)
        scanned.append(d.scanned_at)
        reason.append(d.reason.value)
        chute.append(d.chute)
        service.append(dep.service_id if dep else None)
        departure.append(dep.departure_utc if dep else None)
        cutoff.append(dep.cutoff_utc if dep else None)
        holds.append(d.promise_holds)
        eta.append(d.expected_delivery_utc)
    return cols


def inbound_view(f: InboundForecast) -> dict[str, Any]:
    return {
        "hub": f.hub,
        "parcels": f.parcels,
        "services": [
            {
                "service_id": s.service_id,
                "origin": s.origin,
                "arrival_utc": iso_z(s.arrival_utc),
                "parcels": s.parcels,
                "kg": str(s.kg),
                "m3": str(s.m3.quantize(_M3)),
                "ulds": s.ulds,
            }
            for s in f.services
        ],
        "hours": [
            {
                "hour_utc": iso_z(h.hour_utc),
                "parcels": h.parcels,
                "kg": str(h.kg),
                "m3": str(h.m3.quantize(_M3)),
                "ulds": h.ulds,
            }
            for h in f.hours
        ],
    }


def kpis_view(k: HubKpis) -> dict[str, Any]:
    return {
        "hub": k.hub,
        "from": iso_z(k.start),
        "to": iso_z(k.end),
        "throughput": [
            {
                "hour_utc": iso_z(h.hour_utc),
                "arrived": h.arrived,
                "departed": h.departed,
                "decided": h.decided,
            }
            for h in k.throughput
        ],
        "dwell": {
            "count": k.dwell_count,
            "p50_minutes": k.dwell_p50_minutes,
            "p95_minutes": k.dwell_p95_minutes,
        },
        "backlog": k.backlog,
        "cutoff_misses": [
            {
                "service_id": m.service_id,
                "departure_utc": iso_z(m.departure_utc),
                "rerouted": m.rerouted,
            }
            for m in k.cutoff_misses
        ],
        "promise_at_risk": {"count": len(k.at_risk), "tracking_numbers": list(k.at_risk)},
    }

"""Hub operations for operators: the model, the day's sort plan, sort decisions, inbound, KPIs."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Security
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from ewtp.adapters.clock import utcnow
from ewtp.adapters.db.hub.log_writer import DecisionLogWriter
from ewtp.adapters.db.hub.uow import SqlAlchemyHubUnitOfWork
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.adapters.ttl_cache import TtlCache
from ewtp.domain.accounts import Principal, Role, hash_key
from ewtp.domain.errors import InvalidInput
from ewtp.domain.hub import SortDecision
from ewtp.domain.network.routing import iso_z
from ewtp.http.deps import OperatorDep, SessionFactoryDep, run_limited
from ewtp.http.merchant import freeze_long_lived_heap
from ewtp.http.rate_limit import charge_rate_limit
from ewtp.services import hub as uc
from ewtp.services.accounts import authenticate, require_role
from ewtp.services.hub import views

__all__ = ["router"]

router = APIRouter(prefix="/v1/hubs", tags=["hubs"])


def get_hub_uow(factory: SessionFactoryDep) -> SqlAlchemyHubUnitOfWork:
    return SqlAlchemyHubUnitOfWork(factory)


HubUowDep = Annotated[SqlAlchemyHubUnitOfWork, Depends(get_hub_uow)]
_writer_lock = threading.Lock()


_bearer = HTTPBearer(auto_error=False)


def _scanning_operator(state: Any, plain: str | None) -> Principal:
    """An operator, its key trusted for `EWTP_AUTH_CACHE_SECONDS` once found valid (the
    merchant API's cache): sort scans are the hub's hot path."""
    cache: TtlCache[str, Principal] | None = getattr(state, "principal_cache", None)
    if cache is None:
        cache = TtlCache(state.settings.auth_cache_seconds)
        state.principal_cache = cache
    uow = SqlAlchemyUnitOfWork(state.session_factory)
    if plain:
        principal = cache.get(hash_key(plain), partial(authenticate, uow, plain))
    else:
        principal = authenticate(uow, plain)
    return require_role(principal, Role.OPERATOR)


def _log_writer(state: Any) -> DecisionLogWriter:
    """One group-commit writer of the decision log per application."""
    with _writer_lock:
        writer: DecisionLogWriter | None = getattr(state, "hub_log_writer", None)
        if writer is None:
            factory = state.session_factory
            writer = DecisionLogWriter(lambda: SqlAlchemyHubUnitOfWork(factory))
            state.hub_log_writer = writer
    return writer


def _day(raw: str | None, name: str = "date") -> date:
    if raw is None:
        return utcnow().date()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInput(f"not a YYYY-MM-DD date: {raw!r}", field=name) from exc


class ScanCreate(BaseModel):
    tracking_number: str = Field(max_length=40, examples=["LP000000014CN"])
    scanned_at: AwareDatetime = Field(
        description="ISO 8601 with a UTC offset", examples=["2026-11-11T09:30:00Z"]
    )


class SortDecisionsCreate(BaseModel):
    # No max_length here: a batch over 10,000 is a 413 from the use case, not a 422.
    scans: list[ScanCreate] = Field(min_length=1)


class DeparturePublic(BaseModel):
    service_id: str
    destination: str
    departure_utc: datetime
    cutoff_utc: datetime


class SortDecisionPublic(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "tracking_number": "LP000000014CN",
                "scanned_at": "2026-11-11T09:30:00Z",
                "reason": "planned",
                "chute": "C005",
                "departure": {
                    "service_id": "RD-LGG-CDG-13",
                    "destination": "CDG",
                    "departure_utc": "2026-11-11T12:00:00Z",
                    "cutoff_utc": "2026-11-11T11:00:00Z",
                },
                "promise_holds": True,
                "expected_delivery_utc": "2026-11-12T16:55:00Z",
            }
        }
    )
    tracking_number: str
    scanned_at: datetime
    reason: str
    chute: str
    departure: DeparturePublic | None
    promise_holds: bool | None
    expected_delivery_utc: datetime | None


class SortDecisionsPublic(BaseModel):
    data: list[SortDecisionPublic]
    count: int


@router.get("/{hub}")
def get_hub(hub: str, _operator: OperatorDep, uow: HubUowDep, on: str | None = None) -> Any:
    """The hub model in force on a date (default today), with its processing time."""
    return views.model_view(uc.show_hub(uow, hub, _day(on, "on")))


@router.get("/{hub}/sortplan")
def get_sort_plan(
    hub: str,
    _operator: OperatorDep,
    uow: HubUowDep,
    day: Annotated[str | None, Query(alias="date")] = None,
) -> Any:
    """Every departure of the hub's local day with its chutes, cut-off and destinations."""
    when = _day(day)
    plan = uc.build_sort_plan(uow, hub, when)
    return views.plan_view(plan, uc.day_departures(uow, hub, when))


@router.post("/{hub}/sort-decisions", response_model=SortDecisionsPublic)
async def post_sort_decisions(
    hub: str,
    body: SortDecisionsCreate,
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> JSONResponse:
    """Decide 1 to 10,000 scans in order: chute, departure, reason, promise (logged)."""
    state = request.app.state
    plain = credentials.credentials if credentials else None
    scans = [uc.Scan(s.tracking_number, s.scanned_at) for s in body.scans]

    def work() -> list[SortDecision]:
        # One worker-thread hop for key check, decisions and log (the generic
        # dependencies would take one hop each), on the merchant API's few threads.
        operator = _scanning_operator(state, plain)
        request.state.principal = operator
        charge_rate_limit(request, operator)  # as on every authenticated route
        uow = SqlAlchemyHubUnitOfWork(state.session_factory)
        return uc.decide_sorts(
            uow, hub, scans, operator.account_id, utcnow(), sink=_log_writer(state)
        )

    decisions = await run_limited(request, work)
    freeze_long_lived_heap()  # once: the compiled contexts are long-lived
    # Built as plain JSON (the shape of SortDecisionsPublic): this is the hub's hot path,
    # and a second validation of every answer by the response model costs as much as
    # deciding it.
    data = [_decision_json(d) for d in decisions]
    return JSONResponse({"data": data, "count": len(data)})


def _decision_json(d: SortDecision) -> dict[str, Any]:
    dep = d.departure
    return {
        "tracking_number": d.tracking_number,
        "scanned_at": iso_z(d.scanned_at),
        "reason": d.reason.value,
        "chute": d.chute,
        "departure": None
        if dep is None
        else {
            "service_id": dep.service_id,
            "destination": dep.destination,
            "departure_utc": iso_z(dep.departure_utc),
            "cutoff_utc": iso_z(dep.cutoff_utc),
        },
        "promise_holds": d.promise_holds,
        "expected_delivery_utc": None
        if d.expected_delivery_utc is None
        else iso_z(d.expected_delivery_utc),
    }


@router.get("/{hub}/inbound")
def get_inbound(
    hub: str,
    _operator: OperatorDep,
    uow: HubUowDep,
    day: Annotated[str | None, Query(alias="date")] = None,
) -> Any:
    """Expected parcels, kg, m³ and ULDs per arriving service and per hour of a local day."""
    return views.inbound_view(uc.forecast_inbound(uow, hub, _day(day)))


@router.get("/{hub}/kpis")
def get_kpis(
    hub: str,
    _operator: OperatorDep,
    uow: HubUowDep,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
) -> Any:
    """Throughput per hour, dwell p50/p95, backlog, cut-off misses, promises at risk."""
    stop = end or utcnow()
    return views.kpis_view(uc.compute_hub_kpis(uow, hub, start or stop - timedelta(hours=24), stop))

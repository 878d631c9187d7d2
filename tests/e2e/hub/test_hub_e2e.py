"""Hub operations over HTTP on the real server (SQLite and PostgreSQL): book a parcel,
scan it `arrived` at Liège, ask where it goes, read the KPIs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e.merchant.conftest import Live, live_server
from e2e.merchant.test_merchant_flow import booked_shipment
from ewtp.api.schemas.examples import QUOTE_REQUEST

pytestmark = pytest.mark.e2e
# These tests replay a booked itinerary, so their scans are dated at its planned arrival and
# departure, days ahead of the clock; the server takes scans up to 14 days ahead here.
REPLAY_AHEAD_MINUTES = str(14 * 24 * 60)


@pytest.fixture
def live(db_url: str, tmp_path: Path) -> Iterator[Live]:
    yield from live_server(db_url, tmp_path, EWTP_SCAN_MAX_FUTURE_MINUTES=REPLAY_AHEAD_MINUTES)


def _at(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


def _z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _ops(live: Live) -> dict[str, str]:
    return {"Authorization": f"Bearer {live.operator_key}"}


def _scan(live: Live, number: str, code: str, at: datetime) -> None:
    event = {"tracking_number": number, "code": code, "occurred_at": _z(at), "hub": "LGG"}
    posted = httpx.post(
        f"{live.base}/v1/tracking/events", json={"events": [event]}, headers=_ops(live)
    )
    assert posted.json()["accepted"] == 1, posted.text


def _decide(live: Live, scans: list[dict[str, Any]], **headers: str) -> httpx.Response:
    return httpx.post(
        f"{live.base}/v1/hubs/LGG/sort-decisions",
        json={"scans": scans},
        headers=headers or _ops(live),
        timeout=60,
    )


def test_a_booked_parcel_scanned_at_liege_gets_its_booked_truck_and_shows_in_the_kpis(
    live: Live,
) -> None:
    shipment = booked_shipment(live.alice)
    legs = shipment["legs"]
    inbound = next(leg for leg in legs if leg["destination"] == "LGG")
    onward = next(leg for leg in legs if leg["origin"] == "LGG")
    number = shipment["tracking_number"]
    arrived = _at(inbound["arrival_utc"])
    _scan(live, number, "arrived", arrived)

    answer = _decide(live, [{"tracking_number": number, "scanned_at": _z(arrived)},
                            {"tracking_number": "LP000000015CN", "scanned_at": _z(arrived)},
                            {"tracking_number": "LP999999999CN", "scanned_at": _z(arrived)}])  # fmt: skip
    assert answer.status_code == 200, answer.text
    first, bad_digit, unknown = answer.json()["data"]
    # The booked connection at Liège leaves at least the network's 240-minute connection
    # time after arrival, more than the hub's 51 min processing plus 60 min loading.
    assert first["reason"] == "planned"
    assert first["departure"]["service_id"] == onward["service_id"]
    assert _at(first["departure"]["departure_utc"]) == _at(onward["departure_utc"])
    assert _at(first["departure"]["cutoff_utc"]) == _at(onward["departure_utc"]) - timedelta(
        hours=1
    )
    assert first["promise_holds"] is True
    for other in (bad_digit, unknown):
        assert other["reason"] == "unknown"
        assert other["departure"] is None

    day = _at(onward["departure_utc"]).date().isoformat()
    plan = httpx.get(f"{live.base}/v1/hubs/LGG/sortplan", params={"date": day}, headers=_ops(live))
    assert plan.status_code == 200, plan.text
    mine = [d for d in plan.json()["departures"] if d["service_id"] == onward["service_id"]
            and _at(d["departure_utc"]) == _at(onward["departure_utc"])]  # fmt: skip
    assert len(mine) == 1
    assert first["chute"] in mine[0]["chutes"]
    assert unknown["chute"] in plan.json()["special_chutes"]["reject"]

    window = {"from": _z(arrived - timedelta(hours=1)), "to": _z(arrived + timedelta(hours=2))}
    kpis = httpx.get(f"{live.base}/v1/hubs/LGG/kpis", params=window, headers=_ops(live)).json()
    assert kpis["backlog"] == 1
    assert sum(h["arrived"] for h in kpis["throughput"]) == 1
    assert sum(h["decided"] for h in kpis["throughput"]) == 3
    assert kpis["promise_at_risk"]["count"] == 0

    # The inbound forecast of the arrival's local day (Liège: UTC+1 in November) lists it.
    local = (arrived + timedelta(hours=1)).date().isoformat()
    inbound_day = httpx.get(
        f"{live.base}/v1/hubs/LGG/inbound", params={"date": local}, headers=_ops(live)
    ).json()
    (service,) = [s for s in inbound_day["services"] if s["service_id"] == inbound["service_id"]]
    kg = sum(Decimal(p["weight_kg"]) for p in QUOTE_REQUEST["parcels"])
    assert (service["parcels"], Decimal(service["kg"]), service["ulds"]) == (1, kg, 1)

    departed = _at(onward["departure_utc"])
    _scan(live, number, "departed", departed)
    window["to"] = _z(departed + timedelta(minutes=1))
    kpis = httpx.get(f"{live.base}/v1/hubs/LGG/kpis", params=window, headers=_ops(live)).json()
    assert kpis["backlog"] == 0
    assert kpis["dwell"]["count"] == 1
    assert kpis["dwell"]["p50_minutes"] == (departed - arrived).total_seconds() / 60


def test_bad_requests_name_the_field_and_keys_and_sizes_are_enforced(live: Live) -> None:
    scan = {"tracking_number": "LP000000014CN", "scanned_at": "2026-11-11T09:00:00Z"}
    merchant = live.alice.post("/v1/hubs/LGG/sort-decisions", json={"scans": [scan]})
    assert merchant.status_code == 403
    too_many = _decide(live, [scan] * 10_001)
    assert too_many.status_code == 413
    assert too_many.headers["content-type"].startswith("application/problem+json")
    naive = _decide(live, [scan, {**scan, "scanned_at": "2026-11-11T09:00:00"}])
    assert naive.status_code == 422
    assert naive.json()["errors"][0]["field"] == "scans[1].scanned_at"
    unknown_hub = httpx.post(
        f"{live.base}/v1/hubs/XXX/sort-decisions", json={"scans": [scan]}, headers=_ops(live)
    )
    assert unknown_hub.status_code == 422
    assert unknown_hub.json()["errors"][0]["field"] == "hub"
    plan = httpx.get(f"{live.base}/v1/hubs/XXX/sortplan", headers=_ops(live))
    assert plan.status_code == 422
    assert plan.json()["errors"][0]["field"] == "hub"

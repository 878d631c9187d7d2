"""The shipments list page beside the JSON list endpoint, for a merchant with 100,000
shipments, on the same server in the same run.

One `python -m ewtp serve` process on a fresh database (SQLite by default; pass
`--database-url postgresql+psycopg://...` for PostgreSQL, whose tables must be empty).
One keep-alive client asks for the first page of 50, then the next pages by cursor,
alternating page and API request by request so load from other processes falls on both
alike. The page is signed in with a session cookie; the API with a bearer key.

    .venv/bin/python benchmarks/web.py                 # 100,000 shipments, 400 requests each
    .venv/bin/python benchmarks/web.py --shipments 20000 --requests 200

Target (issue 19): the page's p95 within 1.5x of the API's, and under 50 ms.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))


def seed(url: str, count: int) -> tuple[str, str, str]:
    """A merchant with `count` booked shipments, its API key, and a user's e-mail/password."""
    from sqlalchemy import insert

    from ewtp.adapters.db.engine import make_engine, make_session_factory
    from ewtp.adapters.db.merchant.codec import request_to_json
    from ewtp.adapters.db.migrate import upgrade
    from ewtp.adapters.db.tables.merchant import ShipmentDetailRow
    from ewtp.adapters.db.tables.shipments import ShipmentRow
    from ewtp.adapters.db.users.uow import SqlAlchemyUsersUnitOfWork
    from ewtp.adapters.passwords import Argon2Hasher
    from ewtp.domain.merchant.shipments import Address, Incoterm, Item, Parcel, ShipmentRequest
    from ewtp.domain.s10 import make_s10
    from ewtp.services.users.manage import sign_up

    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    now = datetime.now(UTC)
    who = sign_up(
        SqlAlchemyUsersUnitOfWork(factory), Argon2Hasher(fast=True), company="Bench",
        email="bench@example.com", password="bench password", now=now,
    )  # fmt: skip
    from ewtp.services.accounts import issue_key

    key = issue_key(SqlAlchemyUsersUnitOfWork(factory), who.account.id, now).plain
    request = ShipmentRequest(
        sender=Address("Hangzhou Gadgets", ("88 Wensan Road",), "Hangzhou", "310000", "CN"),
        recipient=Address("Marie Dupont", ("12 rue de Rivoli",), "Paris", "75001", "FR"),
        parcels=(Parcel(Decimal("0.8"), Decimal(30), Decimal(20), Decimal(10),
                        (Item("T-shirt", "610910", 2, Decimal("12.50"), "EUR", "CN"),)),),
        incoterm=Incoterm.DDP,
    )  # fmt: skip
    body = request_to_json(request)
    batch = 5_000
    with factory() as session:
        for start in range(0, count, batch):
            core, detail = [], []
            for n in range(start, min(count, start + batch)):
                sid = str(uuid.uuid4())
                at = now - timedelta(minutes=count - n)
                core.append({
                    "id": sid, "account_id": who.account.id, "status": "booked",
                    "tracking_number": make_s10("EE", n + 1, "CN"), "origin_hub": "HGH",
                    "destination_country": "FR", "service_level": "standard",
                    "ready_at": at, "promised_by": at + timedelta(hours=72),
                    "created_at": at, "updated_at": at,
                })  # fmt: skip
                detail.append({"shipment_id": sid, "request": body, "reference": f"ORDER-{n}"})
            session.execute(insert(ShipmentRow), core)
            session.execute(insert(ShipmentDetailRow), detail)
            session.commit()
    engine.dispose()
    return key, "bench@example.com", "bench password"


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    from support.postgres import free_port

    with tempfile.TemporaryDirectory(prefix="ewtp-bench-web-") as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        started = time.perf_counter()
        key, email, password = seed(url, args.shipments)
        print(f"seeded {args.shipments:,} shipments in {time.perf_counter() - started:.1f} s")
        port = free_port()
        env = {**os.environ, "EWTP_DATABASE_URL": url, "EWTP_VAR_DIR": tmp, "EWTP_PORT": str(port),
               "EWTP_LOG_LEVEL": "warning", "EWTP_WORKER_IN_PROCESS": "0",
               "EWTP_PASSWORD_HASH_FAST": "1", "EWTP_RATE_LIMIT_PER_SECOND": "10000"}  # fmt: skip
        server = subprocess.Popen([sys.executable, "-m", "ewtp", "serve"], env=env)
        base = f"http://127.0.0.1:{port}"
        try:
            with (
                httpx.Client(base_url=base, timeout=30) as web,
                httpx.Client(base_url=base, timeout=30) as api,
            ):
                for _ in range(300):
                    try:
                        if web.get("/health").status_code in (200, 503):
                            break
                    except httpx.TransportError:
                        time.sleep(0.2)
                token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/signin").text)
                assert token
                signed = web.post(
                    "/signin", data={"csrf_token": token[1], "email": email, "password": password}
                )
                assert signed.status_code == 303
                assert "Shipments" in web.get("/app/shipments").text
                api.headers["Authorization"] = f"Bearer {key}"
                timings: dict[str, list[float]] = {"page": [], "api": []}
                page_cursor = api_cursor = None
                for n in range(args.requests + 20):
                    t0 = time.perf_counter()
                    page = web.get(
                        "/app/shipments", params={"cursor": page_cursor} if page_cursor else None
                    )
                    t1 = time.perf_counter()
                    listed = api.get(
                        "/v1/shipments",
                        params={"limit": 50, **({"cursor": api_cursor} if api_cursor else {})},
                    )
                    t2 = time.perf_counter()
                    assert page.status_code == 200
                    assert listed.status_code == 200
                    found = re.search(r'cursor=([A-Za-z0-9_\-]+)" rel="next"', page.text)
                    page_cursor = found[1] if found and n % 20 else None  # walk 20 pages, restart
                    api_cursor = listed.json()["next_cursor"] if n % 20 else None
                    if n >= 20:  # warm-up
                        timings["page"].append(1000 * (t1 - t0))
                        timings["api"].append(1000 * (t2 - t1))
        finally:
            server.terminate()
            server.wait(timeout=10)
    page_p95, api_p95 = p(timings["page"], 0.95), p(timings["api"], 0.95)
    print(f"{'':28}{'p50 ms':>9}{'p95 ms':>9}")
    for name, label in (("api", "GET /v1/shipments (JSON)"), ("page", "GET /app/shipments (HTML)")):
        values = timings[name]
        print(f"{label:28}{statistics.median(values):9.2f}{p(values, 0.95):9.2f}")
    print(
        f"page p95 / API p95 = {page_p95 / api_p95:.2f} (target <= 1.5), page p95 {page_p95:.1f} ms (target < 50)"
    )


if __name__ == "__main__":
    main()

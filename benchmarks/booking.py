"""Bookings per second at 16 and 64 concurrent clients, on SQLite and PostgreSQL, beside
POST /v1/quotes on the same server in the same run.

Each backend gets a fresh database with the built-in network and `ewtp serve` (one
process, its documented pool). Drafts are made beforehand from one quote, so the timed
part is `POST /v1/shipments/{id}/book` alone: S10 number, customs records, label PDF and
the `shipment.booked` event in one transaction. The quote endpoint is driven with the
same client count, right after, as the baseline. Every booking is of a distinct draft;
answers are counted by status (a 503 is the overload answer, with Retry-After).

    .venv/bin/python benchmarks/booking.py               # 16 and 64 clients, both backends
    .venv/bin/python benchmarks/booking.py --bookings 128 --backend sqlite
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from api import free_port, http_request, process  # noqa: E402

CLIENT_COUNTS = (16, 64)


def prepare(url: str, drafts: int) -> tuple[str, list[str], bytes]:
    """Migrate, load the network, make a merchant; one quote, then `drafts` drafts of it."""
    from _seed import migrated_with_network

    from ewtp.adapters.db.merchant.quote_writer import QuoteWriter
    from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
    from ewtp.adapters.merchant.engines import build_engines
    from ewtp.adapters.merchant.inline_when_cached import InlineWhenCached
    from ewtp.api.schemas.examples import QUOTE_REQUEST
    from ewtp.api.schemas.shipment_request import QuoteCreate
    from ewtp.domain.accounts import Role
    from ewtp.services.accounts import create_account
    from ewtp.services.merchant.quotes import QuoteCommand, quote_shipment
    from ewtp.services.merchant.shipments import create_shipment

    engine, sessions, now = migrated_with_network(url)
    issued = create_account(SqlAlchemyMerchantUnitOfWork(sessions), "Bench", Role.MERCHANT, now)
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    body = {**QUOTE_REQUEST, "ready_at": (noon + timedelta(days=1)).isoformat()}
    request = QuoteCreate.model_validate(body).to_domain()
    engines = build_engines(sessions)
    uow = SqlAlchemyMerchantUnitOfWork(sessions)
    command = QuoteCommand(issued.account.id, request, now)
    writer = QuoteWriter(lambda: SqlAlchemyMerchantUnitOfWork(sessions))
    writer.start()
    runner = InlineWhenCached(asyncio.to_thread)
    quote = asyncio.run(
        quote_shipment(writer, runner, engines.planner, engines.customs, engines.card, command)
    )
    writer.stop()
    option = quote.options[0].id
    ids = [
        create_shipment(uow, issued.account.id, now, quote_option_id=option).id
        for _ in range(drafts)
    ]
    engine.dispose()
    return issued.plain, ids, json.dumps(body).encode()


async def _send(port: int, requests: list[bytes], clients: int) -> tuple[float, collections.Counter[int]]:  # fmt: skip
    """Send every request once over `clients` keep-alive connections; elapsed s, statuses."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for request in requests:
        queue.put_nowait(request)
    statuses: collections.Counter[int] = collections.Counter()

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while not queue.empty():
                writer.write(queue.get_nowait())
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                statuses[int(head.split(b" ", 2)[1])] += 1
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return time.perf_counter() - started, statuses


def drive(port: int, requests: list[bytes], clients: int) -> tuple[float, dict[int, int]]:
    elapsed, statuses = asyncio.run(_send(port, requests, clients))
    return len(requests) / elapsed, dict(sorted(statuses.items()))


def start_postgres() -> Any:
    from support.postgres import PostgresServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        return None
    server = PostgresServer(bindir)
    server.start()
    return server


def run_backend(name: str, url: str, tmp: str, per_client: int) -> list[tuple[Any, ...]]:
    total = sum(per_client * c for c in CLIENT_COUNTS)
    key, drafts, quote_body = prepare(url, total)
    auth = {"Authorization": f"Bearer {key}"}
    env = {
        **os.environ, "EWTP_DATABASE_URL": url, "EWTP_VAR_DIR": tmp,
        "EWTP_LOG_LEVEL": "warning", "EWTP_WORKER_IN_PROCESS": "false",
        "EWTP_RATE_LIMIT_PER_SECOND": "1000000", "EWTP_RATE_LIMIT_BURST": "1000000",
        "PYTHONPATH": str(ROOT / "src"),
    }  # fmt: skip
    port = free_port()
    rows = []
    with process([sys.executable, "-m", "ewtp", "serve", "--port", str(port)], env, port):
        quote = http_request("/v1/quotes", quote_body, auth)
        drive(port, [quote] * 32, 4)  # warm-up: engines built, heap frozen
        for clients in CLIENT_COUNTS:
            mine, drafts = drafts[: per_client * clients], drafts[per_client * clients :]
            books = [http_request(f"/v1/shipments/{d}/book", b"", auth) for d in mine]
            book_rate, book_codes = drive(port, books, clients)
            quote_rate, quote_codes = drive(port, [quote] * len(books), clients)
            rows.append((name, clients, book_rate, book_codes, quote_rate, quote_codes))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bookings", type=int, default=8, help="bookings per client")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    rows: list[tuple[Any, ...]] = []
    with tempfile.TemporaryDirectory(prefix="ewtp-bench-booking-") as tmp:
        if args.backend in ("sqlite", "both"):
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
            rows += run_backend("sqlite", url, tmp, args.bookings)
        if args.backend in ("postgresql", "both"):
            server = start_postgres()
            if server is None:
                print("PostgreSQL binaries not found: skipped (apt install postgresql)")
            else:
                try:
                    from sqlalchemy import text

                    from ewtp.adapters.db.engine import make_engine

                    admin = make_engine(server.url()).execution_options(
                        isolation_level="AUTOCOMMIT"
                    )
                    with admin.connect() as conn:
                        conn.execute(text("CREATE DATABASE bench"))
                    admin.dispose()
                    rows += run_backend("postgresql", server.url("bench"), tmp, args.bookings)
                finally:
                    server.stop()
    print(f"{args.bookings} bookings per client; each draft booked once; one server process")
    print(
        f"{'backend':<12}{'clients':>8}{'bookings/s':>12}{'quotes/s':>10}{'ratio':>8}"
        f"  {'booking answers':<22}{'quote answers'}"
    )
    for name, clients, book_rate, book_codes, quote_rate, quote_codes in rows:
        print(
            f"{name:<12}{clients:>8}{book_rate:>12.1f}{quote_rate:>10.1f}"
            f"{book_rate / quote_rate:>8.1%}  {json.dumps(book_codes):<22}{json.dumps(quote_codes)}"
        )


if __name__ == "__main__":
    main()

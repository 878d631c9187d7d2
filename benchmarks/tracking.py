"""Scan ingestion throughput on PostgreSQL: `ewtp tracking ingest` and the HTTP batch
endpoint, beside a raw COPY of the same rows into a bare table, all in one run.

    .venv/bin/python benchmarks/tracking.py            # 200,000 events per path
    .venv/bin/python benchmarks/tracking.py --events 1000000

The data is realistic: parcels of one merchant with a subscribed webhook endpoint (so
every batch writes outbox rows), the built-in network loaded (so departed/arrived scans
recompute the live ETA), four scans per parcel (accepted, departed, arrived, delivered)
arriving in time order, parcels of a flight sharing its scan time. The CLI runs with its
default two workers; the HTTP endpoint is driven by one client, then by two at once (each
with its own parcels, as scanners at two docks), in batches of 10,000. `--parcel-major`
writes the CLI's file parcel by parcel instead, as a hub's daily export might.

The "floor" lines are references, not our ingestion. The ">= 30% of raw COPY" target is
measured against a table with no index at all; the floors store the same number of scans
in empty copies of `tracking_events` (its columns and dedup indexes), once by one plain
COPY and once by the accept-only path (staged batches, known numbers, ON CONFLICT DO
NOTHING), with no validation, status, ETA or outbox: what the storage alone costs.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from _seed import migrated_with_network  # noqa: E402

from ewtp.adapters.db.tracking.uow import SqlAlchemyTrackingUnitOfWork  # noqa: E402
from ewtp.domain.accounts import Role  # noqa: E402
from ewtp.domain.s10 import make_s10  # noqa: E402
from ewtp.domain.webhooks.model import EVENT_TYPES, Endpoint  # noqa: E402
from ewtp.services.accounts import create_account  # noqa: E402
from support.postgres import PostgresServer, find_bindir  # noqa: E402
from support.server import run_server  # noqa: E402

START = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
STAGES = (
    ("accepted", 0, "HGH"),
    ("departed", 3, "HGH"),
    ("arrived", 16, "LGG"),
    ("delivered", 30, "LGG"),
)
PER_FLIGHT = 2_000
BATCH = 10_000


def scans(numbers: list[str]) -> list[tuple[str, str, str, str]]:
    """Four scans per parcel, in time order; parcels of one flight share their times."""
    rows = []
    for code, hours, hub in STAGES:
        for i, number in enumerate(numbers):
            at = START + timedelta(hours=hours, minutes=i // PER_FLIGHT)
            rows.append((number, code, at.isoformat(), hub))
    return rows


def add_shipments(conn: psycopg.Connection, account_id: str, first: int, count: int) -> list[str]:
    numbers = [make_s10("LP", serial, "CN") for serial in range(first, first + count)]
    with (
        conn.cursor() as cur,
        cur.copy(
            "COPY shipments (id, account_id, status, tracking_number, origin_hub, destination_country,"
            " service_level, ready_at, promised_by, created_at, updated_at) FROM STDIN"
        ) as copy,
    ):
        for number in numbers:
            copy.write_row((str(uuid.uuid4()), account_id, "booked", number, "HGH", "BE",
                            "standard", START, START + timedelta(hours=72), START, START))  # fmt: skip
    conn.commit()
    return numbers


def post_all(base: str, headers: dict[str, str], numbers: list[str], clients: int) -> float:
    """POST every parcel's scans in batches of 10,000 from `clients` concurrent clients.

    Each client sends its own share of the parcels in time order, as scanners at different
    docks would; returns seconds.
    """
    streams = []
    for c in range(clients):
        rows = scans(numbers[c::clients])
        streams.append(
            [json.dumps({"events": [{"tracking_number": n, "code": k, "occurred_at": t, "hub": h}
                                    for n, k, t, h in rows[lo : lo + BATCH]]}).encode()
             for lo in range(0, len(rows), BATCH)]
        )  # fmt: skip

    def send(bodies: list[bytes]) -> int:
        accepted = 0
        with httpx.Client(timeout=120) as client:
            for body in bodies:
                answer = client.post(f"{base}/v1/tracking/events", content=body, headers=headers)
                answer.raise_for_status()
                accepted += answer.json()["accepted"]
        return accepted

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        accepted = sum(pool.map(send, streams))
    seconds = time.perf_counter() - started
    assert accepted == len(numbers) * len(STAGES), accepted
    return seconds


def raw_copy(dsn: str, csv_path: Path) -> float:
    """Baseline: stream the same CSV into a bare table with COPY; returns seconds."""
    with psycopg.connect(dsn) as conn:
        conn.execute(
            "CREATE TABLE bare_events (tracking_number text, code text, occurred_at timestamptz,"
            " hub text)"
        )
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy("COPY bare_events FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            csv_path.open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def floor_table(conn: psycopg.Connection, name: str) -> None:
    """An empty copy of `tracking_events`: its columns, defaults and indexes, no rows."""
    conn.execute(f"CREATE TABLE {name} (LIKE tracking_events INCLUDING ALL)")
    # LIKE copies the id default as nextval() of tracking_events' own sequence; a sequence
    # of the floor's own, with the same cache, leaves the real one untouched.
    cache = conn.execute(
        "SELECT cache_size FROM pg_sequences WHERE sequencename = 'tracking_events_id_seq'"
    ).fetchone()
    assert cache is not None
    conn.execute(f"CREATE SEQUENCE {name}_id_seq CACHE {cache[0]} OWNED BY {name}.id")
    conn.execute(f"ALTER TABLE {name} ALTER id SET DEFAULT nextval('{name}_id_seq')")
    conn.commit()


def floor_copy(dsn: str, rows: list[tuple[str, str, str, str]], work: Path) -> float:
    """Floor: one COPY of the rows into an empty copy of `tracking_events`; returns seconds."""
    csv_path = work / "floor.csv"
    received = datetime.now(UTC).isoformat()
    with csv_path.open("w") as out:
        out.writelines(f"{n},{k},{k},{t},{h},{received}\n" for n, k, t, h in rows)
    with psycopg.connect(dsn) as conn:
        floor_table(conn, "floor_events")
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY floor_events (tracking_number, code, milestone, occurred_at, hub,"
                " received_at) FROM STDIN WITH (FORMAT csv)"
            ) as copy,
            csv_path.open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)
        conn.commit()
        return time.perf_counter() - started


def floor_staged(dsn: str, rows: list[tuple[str, str, str, str]]) -> float:
    """Floor: the accept-only path into an empty copy of `tracking_events`; returns seconds.

    Per batch of 10,000: COPY into a temp table, INSERT the rows whose number is in
    `shipments` with ON CONFLICT DO NOTHING, commit.
    """
    bodies = [
        "".join(f"{n},{k},{t},{h}\n" for n, k, t, h in rows[lo : lo + BATCH]).encode()
        for lo in range(0, len(rows), BATCH)
    ]
    with psycopg.connect(dsn) as conn:
        floor_table(conn, "floor_events2")
        conn.execute(
            "CREATE TEMP TABLE floor_stage (tracking_number varchar(13), code varchar(40),"
            " occurred_at timestamptz, hub varchar(8)) ON COMMIT DELETE ROWS"
        )
        conn.commit()
        inserted = 0
        started = time.perf_counter()
        for body in bodies:
            with conn.cursor() as cur:
                with cur.copy("COPY floor_stage FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(body)
                cur.execute(
                    "INSERT INTO floor_events2 (tracking_number, code, milestone, occurred_at,"
                    " hub, received_at) SELECT st.tracking_number, st.code, st.code,"
                    " st.occurred_at, st.hub, now() FROM floor_stage st WHERE EXISTS (SELECT 1"
                    " FROM shipments s WHERE s.tracking_number = st.tracking_number)"
                    " ON CONFLICT DO NOTHING"
                )
                inserted += cur.rowcount
            conn.commit()
        seconds = time.perf_counter() - started
    assert inserted == len(rows), inserted
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000, help="events per measured path")
    parser.add_argument(
        "--no-webhook", action="store_true", help="no subscribed endpoint, so no outbox rows"
    )
    parser.add_argument(
        "--parcel-major",
        action="store_true",
        help="write the CLI's file parcel by parcel (each parcel's scans together), as a hub's"
        " export might, instead of in time order",
    )
    args = parser.parse_args()
    parcels = max(1, args.events // len(STAGES))
    bindir = find_bindir()
    if bindir is None:
        sys.exit("PostgreSQL binaries not found (apt install postgresql)")
    server = PostgresServer(bindir)
    server.start()
    work = Path(tempfile.mkdtemp(prefix="ewtp-bench-"))
    try:
        admin = psycopg.connect(server.url().replace("+psycopg", ""), autocommit=True)
        admin.execute("CREATE DATABASE bench")
        admin.close()
        url = server.url("bench")
        dsn = url.replace("+psycopg", "")
        engine, factory, now = migrated_with_network(url)
        merchant = create_account(
            SqlAlchemyTrackingUnitOfWork(factory), "Bench", Role.MERCHANT, now
        )
        operator = create_account(SqlAlchemyTrackingUnitOfWork(factory), "Hub", Role.OPERATOR, now)
        if not args.no_webhook:
            with SqlAlchemyTrackingUnitOfWork(factory) as uow:
                hook = Endpoint("bench-hook", merchant.account.id, "https://hooks.example.com/e",
                                EVENT_TYPES, "whsec_bench", now)  # fmt: skip
                uow.webhooks.add_endpoint(hook)
                uow.commit()
        engine.dispose()
        with psycopg.connect(dsn) as conn:
            cli_numbers = add_shipments(conn, merchant.account.id, 1, parcels)
            http_numbers = add_shipments(conn, merchant.account.id, 50_000_000, parcels)
            http2_numbers = add_shipments(conn, merchant.account.id, 60_000_000, parcels)
            floor_numbers = add_shipments(conn, merchant.account.id, 70_000_000, parcels)
        cli_rows = scans(cli_numbers)
        if args.parcel_major:
            cli_rows.sort(key=lambda row: row[0])  # stable: a parcel's scans stay in order
        csv_path = work / "scans.csv"
        with csv_path.open("w") as out:
            out.write("tracking_number,code,occurred_at,hub\n")
            out.writelines(",".join(r) + "\n" for r in cli_rows)

        env = {**os.environ, "EWTP_DATABASE_URL": url, "EWTP_VAR_DIR": str(work)}
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ewtp", "tracking", "ingest", str(csv_path), "--format", "json"],
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        cli_wall = time.perf_counter() - started
        cli = json.loads(done.stdout)
        assert cli["accepted"] == len(cli_rows), cli

        headers = {"Authorization": f"Bearer {operator.plain}", "Content-Type": "application/json"}
        http_lines = []
        with run_server(url, work, EWTP_WORKER_IN_PROCESS="0") as base:
            for clients, numbers in ((1, http_numbers), (2, http2_numbers)):
                seconds = post_all(base, headers, numbers, clients)
                http_lines.append(
                    (f"POST /v1/tracking/events ({clients} client{'s' * (clients > 1)})",
                     len(numbers) * len(STAGES) / seconds, seconds)
                )  # fmt: skip
        copy_seconds = raw_copy(dsn, csv_path)
        floor_seconds = floor_copy(dsn, cli_rows, work)
        staged_seconds = floor_staged(dsn, scans(floor_numbers))
        n = len(cli_rows)
        copy_rate = n / copy_seconds
        lines = [
            ("raw COPY into a bare table (baseline)", copy_rate, copy_seconds),
            ("floor: COPY into a copy of tracking_events", n / floor_seconds, floor_seconds),
            ("floor: staged INSERT ON CONFLICT, known numbers", n / staged_seconds, staged_seconds),
            ("ewtp tracking ingest (in-command)", n / cli["seconds"], cli["seconds"]),
            ("ewtp tracking ingest (wall, incl. start-up)", n / cli_wall, cli_wall),
            *http_lines,
        ]
        hooked = "no webhook endpoint" if args.no_webhook else "a subscribed webhook endpoint"
        if args.parcel_major:
            hooked += "; CLI file parcel by parcel"
        print(f"PostgreSQL {server.version}; {n:,} events per path, {parcels:,} parcels, {hooked}")
        print(f"{'path':48} {'events/s':>12} {'seconds':>9} {'vs COPY':>8}")
        for name, rate, seconds in lines:
            print(f"{name:48} {rate:12,.0f} {seconds:9.2f} {rate / copy_rate:8.1%}")
        print("floor: reference, not ewtp's ingestion; the same scans stored in an empty copy of")
        print("       tracking_events (its indexes), with no checks, status, ETA or outbox")
        print("target: >= 50,000 events/s and >= 30% of raw COPY")
    finally:
        server.stop()


if __name__ == "__main__":
    io.DEFAULT_BUFFER_SIZE = 1 << 16
    main()

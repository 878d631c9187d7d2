"""POST /v1/quotes under 32 concurrent clients on loopback, beside a trivial FastAPI endpoint.

Both are served the same way in the same run: one `uvicorn` process each, started like
`ewtp serve` (the quote server is `python -m ewtp serve` itself, on a fresh SQLite
database with the built-in network). The load generator is a small keep-alive HTTP/1.1
client on asyncio streams, so it costs little CPU next to the servers. The machine is
shared, so the two endpoints are measured in alternating slices (`--rounds`): load from
other processes falls on both alike instead of on whichever happened to run second.

    .venv/bin/python benchmarks/api.py            # 10 s per endpoint after a 2 s warm-up
    .venv/bin/python benchmarks/api.py --quick    # 4 s per endpoint
    .venv/bin/python benchmarks/api.py --clients 64 --seconds 20

Target (issue 5): quotes >= 25% of the trivial endpoint's requests/s, p99 < 100 ms at 32.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

BODY = None  # set in main(), the API's own example quote request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def trivial_app() -> Any:
    """A FastAPI app with one POST endpoint that parses JSON and answers a small JSON."""
    from fastapi import FastAPI

    app = FastAPI()

    @app.post("/trivial")
    def trivial(body: dict[str, Any]) -> dict[str, Any]:
        return {"ok": True, "keys": len(body)}

    return app


def serve_trivial(port: int) -> None:
    import uvicorn

    uvicorn.run(trivial_app(), host="127.0.0.1", port=port, log_level="warning")


def wait_until_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server on {port} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


@contextmanager
def process(args: list[str], env: dict[str, str], port: int) -> Iterator[None]:
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, proc)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def prepare_database(var_dir: Path) -> tuple[str, str]:
    """A migrated SQLite database with the built-in network and one merchant key."""
    from _seed import migrated_with_network

    from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
    from ewtp.domain.accounts import Role
    from ewtp.services.accounts import create_account

    url = f"sqlite:///{var_dir / 'bench.db'}"
    engine, sessions, now = migrated_with_network(url)
    key = create_account(SqlAlchemyMerchantUnitOfWork(sessions), "Bench", Role.MERCHANT, now).plain
    engine.dispose()
    return url, key


async def client(
    port: int, request: bytes, stop_at: float, record_from: float, latencies: list[float]
) -> int:
    """One keep-alive connection sending `request` until `stop_at`; returns non-2xx count."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    errors = 0
    try:
        while time.perf_counter() < stop_at:
            start = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            if start >= record_from:
                latencies.append(time.perf_counter() - start)
                if not head.startswith((b"HTTP/1.1 2", b"HTTP/1.0 2")):
                    errors += 1
    finally:
        writer.close()
    return errors


def http_request(path: str, body: bytes, headers: dict[str, str]) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/json"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def drive(
    port: int, request: bytes, clients: int, warmup: float, seconds: float
) -> dict[str, float]:
    return summarize(*load(port, request, clients, warmup, seconds), seconds)


def load(
    port: int, request: bytes, clients: int, warmup: float, seconds: float
) -> tuple[list[float], int]:
    """Latencies (s) recorded after `warmup` for `seconds`, and the non-2xx count."""
    latencies: list[float] = []

    async def run() -> int:
        now = time.perf_counter()
        record_from, stop_at = now + warmup, now + warmup + seconds
        results = await asyncio.gather(
            *(client(port, request, stop_at, record_from, latencies) for _ in range(clients))
        )
        return sum(results)

    errors = asyncio.run(run())
    return latencies, errors


def summarize(latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    latencies = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "errors": errors,
    }


def interleaved(
    targets: dict[str, tuple[int, bytes]], clients: int, warmup: float, seconds: float, rounds: int
) -> dict[str, dict[str, float]]:
    """Each target warmed up once, then driven in `rounds` alternating slices of
    `seconds / rounds`, so load from other processes on the machine falls on all alike."""
    for port, request in targets.values():
        load(port, request, clients, warmup, 0)
    collected: dict[str, tuple[list[float], int]] = {name: ([], 0) for name in targets}
    for _ in range(rounds):
        for name, (port, request) in targets.items():
            latencies, errors = load(port, request, clients, 0.2, seconds / rounds)
            old_latencies, old_errors = collected[name]
            collected[name] = (old_latencies + latencies, old_errors + errors)
    return {name: summarize(lat, err, seconds) for name, (lat, err) in collected.items()}


def sample_options(port: int, body: bytes, key: str) -> int:
    """How many options one quote of this body gets (the work per request scales with it)."""
    import httpx

    answer = httpx.post(
        f"http://127.0.0.1:{port}/v1/quotes",
        content=body,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        timeout=30,
    )
    answer.raise_for_status()
    return len(answer.json()["options"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--quick", action="store_true", help="4 s per endpoint")
    parser.add_argument(
        "--rounds", type=int, default=5, help="alternate the endpoints this many times"
    )
    parser.add_argument(
        "--ready-now",
        action="store_true",
        help="quote the example as ready now (how many options it gets depends on the hour)",
    )
    parser.add_argument("--serve-trivial", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_trivial:
        serve_trivial(args.serve_trivial)
        return
    seconds = 4.0 if args.quick else args.seconds

    from ewtp.api.schemas.examples import QUOTE_REQUEST

    request = dict(QUOTE_REQUEST)
    if not args.ready_now:
        # Tomorrow noon UTC every service level is on offer, so each quote prices them all
        # (ready now, some hours of the day offer fewer) and runs compare across the day.
        noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
        request["ready_at"] = (noon + timedelta(days=1)).isoformat()
    body = json.dumps(request).encode()
    with tempfile.TemporaryDirectory(prefix="ewtp-bench-") as tmp:
        url, key = prepare_database(Path(tmp))
        env = {
            **os.environ,
            "EWTP_DATABASE_URL": url,
            "EWTP_VAR_DIR": tmp,
            "EWTP_LOG_LEVEL": "warning",
            "EWTP_WORKER_IN_PROCESS": "false",
            "EWTP_RATE_LIMIT_PER_SECOND": "1000000",
            "EWTP_RATE_LIMIT_BURST": "1000000",
            "PYTHONPATH": str(ROOT / "src"),
        }
        trivial_port, quote_port = free_port(), free_port()
        trivial = [sys.executable, __file__, "--serve-trivial", str(trivial_port)]
        quotes = [sys.executable, "-m", "ewtp", "serve", "--port", str(quote_port)]
        with process(trivial, env, trivial_port), process(quotes, env, quote_port):
            targets = {
                "trivial": (trivial_port, http_request("/trivial", body, {})),
                "quotes": (
                    quote_port,
                    http_request("/v1/quotes", body, {"Authorization": f"Bearer {key}"}),
                ),
            }
            options = sample_options(quote_port, body, key)
            results = interleaved(targets, args.clients, args.warmup, seconds, args.rounds)
    print(
        f"{args.clients} concurrent clients, {seconds:g} s each after {args.warmup:g} s warm-up,"
        f" in {args.rounds} alternating rounds"
    )
    print(f"each quote prices {options} option(s)")
    print(f"{'endpoint':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>10}")
    for name, label in (("trivial", "trivial FastAPI POST"), ("quotes", "POST /v1/quotes")):
        r = results[name]
        print(
            f"{label:<22}{r['rps']:>10.1f}{r['p50_ms']:>10.1f}{r['p99_ms']:>10.1f}"
            f"{int(r['errors']):>10d}"
        )
    ratio = results["quotes"]["rps"] / results["trivial"]["rps"]
    p99 = results["quotes"]["p99_ms"]
    print(f"quotes / trivial throughput: {ratio:.1%} (target >= 25%)")
    print(f"quotes p99: {p99:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()

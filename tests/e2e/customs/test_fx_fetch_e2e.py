"""`ewtp fx fetch` end to end: a local HTTP server serves ECB-format files (nothing here
reaches the internet), the real CLI fetches them, the real server quotes with them."""

from __future__ import annotations

import functools
import http.server
import io
import json
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from e2e.customs.test_customs_e2e import _key, ewtp
from support.server import run_server
from unit.customs.fakes import consignment_json, item

pytestmark = pytest.mark.e2e

# ECB history layout (eurofxref-hist.csv): newest first, trailing comma, "N/A" gaps.
HISTORY = (
    "Date,USD,JPY,CNY,RON,\n"
    "2026-11-20,1.0600,160.00,7.6000,5.0900,\n"
    "2026-11-18,1.0500,159.00,7.5000,5.0800,\n"
    "2026-11-17,1.0400,158.00,7.4000,5.0700,\n"
)


def _zip(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", text)
    return buffer.getvalue()


@pytest.fixture
def ecb_site(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A loopback HTTP server over a folder; yields its base URL and the folder."""
    root = tmp_path / "site"
    root.mkdir()

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """No request log on the test's stderr."""

    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()


def test_fetch_refuses_bad_files_and_a_good_one_unsticks_a_running_server(
    db_url: str, tmp_path: Path, ecb_site: tuple[str, Path]
) -> None:
    base_url, root = ecb_site
    good = _zip(HISTORY)
    (root / "good.zip").write_bytes(good)
    (root / "truncated.zip").write_bytes(good[: len(good) // 2])
    (root / "cut.csv").write_text(HISTORY[: HISTORY.index("7.5000") + 4])  # mid-row
    (root / "page.html").write_text("<html>maintenance</html>")

    key = _key(db_url, tmp_path)
    auth = {"Authorization": f"Bearer {key}"}
    # 2026-12-01 takes the rate of 2026-11-18 (penultimate Wednesday of November).
    data = consignment_json(
        date="2026-12-01", currency="USD", destination_country="DE", transport_cost="0",
        items=[item(quantity=1, unit_value="21.00")],
    )  # fmt: skip
    with run_server(db_url, tmp_path) as base:
        stale = httpx.post(f"{base}/v1/landed-cost", json=data, headers=auth)
        assert stale.status_code == 422, stale.text
        problem = stale.json()
        assert problem["type"].endswith("exchange_rate_stale")
        assert problem["errors"][0]["field"] == "currency"
        assert "2026-10-30" in problem["detail"]  # the newest rate held (bundled)
        assert "ewtp fx fetch" in problem["detail"]
        health = httpx.get(f"{base}/health").json()
        assert (health["status"], health["fx"]["newest_rate_date"]) == ("degraded", "2026-10-30")

        for bad in ("truncated.zip", "cut.csv", "page.html", "missing.zip"):
            run = ewtp("fx", "fetch", "--url", f"{base_url}/{bad}", db_url=db_url, tmp=tmp_path)
            assert run.returncode == 2, (bad, run.stdout, run.stderr)
            assert run.stderr.count("\n") == 1, run.stderr  # one line
        again = httpx.post(f"{base}/v1/landed-cost", json=data, headers=auth)
        assert again.status_code == 422  # nothing was stored

        run = ewtp(
            "fx", "fetch", "--url", f"{base_url}/good.zip", "-f", "json",
            db_url=db_url, tmp=tmp_path,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout)["last_date"] == "2026-11-20"

        fresh = httpx.post(f"{base}/v1/landed-cost", json=data, headers=auth)
        assert fresh.status_code == 200, fresh.text
        body = fresh.json()
        assert (body["exchange_rate_rule"], body["exchange_rate_date"]) == (
            "eu_art146_ecb",
            "2026-11-18",
        )
        assert body["intrinsic_value_eur"] == "20.00"  # 21.00 USD / 1.05
        assert _health_fx_date(base, "2026-11-20") == "2026-11-20"


def _health_fx_date(base: str, wanted: str) -> str:
    """/health answers its latest check at once and refreshes it every 0.5 s
    (`api/routers/health.FRESH_SECONDS`), so the new rate shows on a later call."""
    deadline = time.monotonic() + 5
    while True:
        seen = str(httpx.get(f"{base}/health").json()["fx"]["newest_rate_date"])
        if seen == wanted or time.monotonic() > deadline:
            return seen
        time.sleep(0.2)

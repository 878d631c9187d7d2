"""/docs and /redoc work with every non-local request blocked (an air-gapped install)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support.server import run_server

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
LOCAL = {"127.0.0.1", "localhost", "::1"}


@pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="no Chromium at /usr/bin/chromium",
)
def test_docs_and_redoc_show_operations_with_external_requests_blocked(tmp_path: Path) -> None:
    from playwright.sync_api import Route, sync_playwright

    blocked: list[str] = []

    def only_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with (
        run_server(
            f"sqlite:///{tmp_path / 'ewtp.db'}", tmp_path, EWTP_WORKER_IN_PROCESS="0"
        ) as base,
        sync_playwright() as p,
    ):
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", only_local)
            page.goto(f"{base}/docs")
            operation = page.locator(".opblock-summary-path", has_text="/v1/quotes").first
            operation.wait_for(timeout=20_000)
            assert operation.is_visible()
            page.goto(f"{base}/redoc")
            page.locator("h2", has_text="Bulk CSV import").first.wait_for(timeout=20_000)
        finally:
            browser.close()
    assert blocked == []  # nothing even tried to reach a CDN or font service

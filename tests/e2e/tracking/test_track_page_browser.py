"""The public tracking page in headless Chromium, at phone width."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.tracking.conftest import NOW
from integration.tracking.network import load_builtin_network
from integration.tracking.shipments import BOOKED_AT, add_shipments
from support.ci import missing_or_skip
from support.server import run_server

pytestmark = pytest.mark.e2e
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
PHONE = {"width": 390, "height": 844}


def test_track_page_shows_timeline_route_and_eta_on_a_phone(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        missing_or_skip(f"no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    from ewtp.adapters.db.migrate import upgrade

    upgrade(engine)
    factory = make_session_factory(engine)
    load_builtin_network(factory)
    merchant = create_account(SqlAlchemyUnitOfWork(factory), "M", Role.MERCHANT, NOW)
    operator = create_account(SqlAlchemyUnitOfWork(factory), "hub", Role.OPERATOR, NOW)
    (number,) = add_shipments(factory, merchant.account.id, [15])
    engine.dispose()
    with run_server(url, tmp_path, EWTP_WORKER_IN_PROCESS="0") as base:
        scans = [("accepted", 1, "HGH"), ("departed", 3, "HGH")]
        events = [
            {"tracking_number": number, "code": c, "hub": hub,
             "occurred_at": (BOOKED_AT + timedelta(hours=h)).isoformat()}
            for c, h, hub in scans
        ]  # fmt: skip
        posted = httpx.post(
            f"{base}/v1/tracking/events",
            json={"events": events},
            headers={"Authorization": f"Bearer {operator.plain}"},
        )
        assert posted.json()["accepted"] == 2
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
            try:
                page = browser.new_page(viewport=PHONE)
                page.goto(f"{base}/track")
                page.fill("#number", number)
                page.click("button[type=submit]")
                page.wait_for_url(f"**/track/{number}")
                timeline = page.locator("#timeline li")
                assert timeline.count() == 2
                assert "Departed" in timeline.nth(0).inner_text()  # newest first
                assert "Hangzhou" in timeline.nth(0).inner_text()
                eta = page.locator("#eta time")
                assert eta.get_attribute("datetime", timeout=5000)
                assert "UTC" in eta.inner_text()
                assert page.locator("#route li").count() >= 2
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= PHONE["width"], "the page scrolls sideways on a phone"
                shot = tmp_path / "track-phone.png"
                page.screenshot(path=str(shot), full_page=True)
                assert shot.stat().st_size > 5_000
            finally:
                browser.close()

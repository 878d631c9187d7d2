"""With JavaScript off, the main actions still work: sign up, add an item row, quote,
book, open the label, cancel. (htmx only enhances; every action is a form or a link.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from e2e.web.browser import ARGS, CHROMIUM, isolate
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import upgrade
from integration.tracking.network import load_builtin_network
from support.server import run_server
from support.web import PASSWORD

pytestmark = pytest.mark.e2e
NEEDED = os.environ.get("CI") == "true"


@pytest.mark.skipif(not CHROMIUM.exists() and not NEEDED, reason="no Chromium at /usr/bin/chromium")
def test_quote_book_and_cancel_work_with_javascript_off(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_builtin_network(make_session_factory(engine))
    engine.dispose()
    foreign: list[str] = []
    with run_server(url, tmp_path, EWTP_PASSWORD_HASH_FAST="1") as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(
                java_script_enabled=False, viewport={"width": 390, "height": 844}
            )
            isolate(context, base, foreign)
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto(f"{base}/signup")
            page.fill("#f-company", "No Script Ltd")
            page.fill("#f-email", "noscript@example.com")
            page.fill("#f-password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/app")
            page.goto(f"{base}/app/quote")
            for prefix, values in (
                ("sender", ("Zhengzhou Tea", "1 Jinshui Rd", "Zhengzhou", "450000", "CN")),
                ("recipient", ("Jan Peeters", "5 Meir", "Antwerpen", "2000", "BE")),
            ):
                for key, value in zip(
                    ("name", "line1", "city", "postal_code", "country"), values, strict=True
                ):
                    page.fill(f"#f-{prefix}-{key}", value)
            for key, value in (
                ("weight_kg", "2"),
                ("length_cm", "30"),
                ("width_cm", "20"),
                ("height_cm", "15"),
            ):
                page.fill(f"#f-parcels-0-{key}", value)
            page.click("button[name=add_item]")  # a server round trip adds the row
            page.wait_for_selector("#f-parcels-0-items-1-description")
            assert page.input_value("#f-sender-city") == "Zhengzhou"  # kept
            for i, (what, hs, value) in enumerate(
                (("Green tea", "090210", "9.50"), ("Tea cups", "691110", "6"))
            ):
                at = f"#f-parcels-0-items-{i}-"
                page.fill(at + "description", what)
                page.fill(at + "hs_code", hs)
                page.fill(at + "unit_value", value)
            page.click("#get-quote")
            page.wait_for_url("**/app/quotes/*")
            page.locator("article.option button[type=submit]").first.click()
            page.wait_for_url("**/app/shipments/*?booked=1")
            assert page.locator("#label-link").get_attribute("href", timeout=2000)
            page.click("#cancel")
            page.wait_for_load_state()
            assert page.locator("#status").inner_text() == "Cancelled"
            assert (
                page.locator("#cancel-refusal")
                .inner_text()
                .endswith("the shipment is already cancelled")
            )
        finally:
            browser.close()
    assert not foreign

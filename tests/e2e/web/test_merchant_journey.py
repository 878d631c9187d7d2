"""The merchant web app as a user drives it, in headless Chromium (Debian's, never
downloaded): sign up, quote CN->FR with a battery, book, label, list, scans, cancel, bulk
upload, webhook deliveries, Chinese. Every page is screenshotted at 390 and 1280 px and
checked with axe-core; the browser may reach no host but the server."""

from __future__ import annotations

import io
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader

from e2e.tracking.receiver import run_receiver
from e2e.web.browser import ARGS, ARTIFACTS, CHROMIUM, Sweep, isolate
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import upgrade
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.tracking.network import load_builtin_network
from support.server import run_server
from support.web import PASSWORD

pytestmark = pytest.mark.e2e
NEEDED = os.environ.get("CI") == "true"
SENDER = {
    "name": "Hangzhou Gadgets",
    "line1": "88 Wensan Road",
    "city": "Hangzhou",
    "postal_code": "310000",
    "country": "CN",
}
RECIPIENT = {
    "name": "Marie Dupont",
    "line1": "12 rue de Rivoli",
    "city": "Paris",
    "postal_code": "75001",
    "country": "FR",
}


def _quote(page: object, base: str, battery: bool) -> None:
    p = page
    p.goto(f"{base}/app/quote")  # type: ignore[attr-defined]
    for prefix, values in (("sender", SENDER), ("recipient", RECIPIENT)):
        for key, value in values.items():
            p.fill(f"#f-{prefix}-{key}", value)  # type: ignore[attr-defined]
    fields = {"weight_kg": "1.2", "length_cm": "30", "width_cm": "20", "height_cm": "10"}
    for key, value in fields.items():
        p.fill(f"#f-parcels-0-{key}", value)  # type: ignore[attr-defined]
    item = "#f-parcels-0-items-0-"
    p.fill(item + "description", "Power bank" if battery else "Cotton T-shirt")  # type: ignore[attr-defined]
    p.fill(item + "unit_value", "40" if battery else "12.50")  # type: ignore[attr-defined]
    p.fill(item + "currency", "EUR")  # type: ignore[attr-defined]
    p.fill(item + "origin_country", "CN")  # type: ignore[attr-defined]
    if battery:  # the HS code comes from the picker: search by description, click a result
        p.fill("#hs-q-0-0", "lithium-ion")  # type: ignore[attr-defined]
        p.click("#hs-0-0 button:has-text('850760')")  # type: ignore[attr-defined]
        assert p.input_value(item + "hs_code") == "850760"  # type: ignore[attr-defined]
        p.select_option(item + "battery", "UN3481")  # type: ignore[attr-defined]
        p.fill(item + "watt_hours", "37")  # type: ignore[attr-defined]
    else:
        p.fill(item + "hs_code", "610910")  # type: ignore[attr-defined]
    p.click("#get-quote")  # type: ignore[attr-defined]
    p.wait_for_url("**/app/quotes/*")  # type: ignore[attr-defined]


@pytest.mark.skipif(not CHROMIUM.exists() and not NEEDED, reason="no Chromium at /usr/bin/chromium")
def test_a_merchant_runs_the_whole_journey_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    load_builtin_network(factory)
    operator = create_account(
        SqlAlchemyUnitOfWork(factory), "LGG hub", Role.OPERATOR, datetime.now(UTC)
    )
    engine.dispose()
    env = {
        "EWTP_PASSWORD_HASH_FAST": "1",
        "EWTP_WEBHOOK_ALLOW_PRIVATE": "1",
        "EWTP_WEBHOOK_ALLOW_HTTP": "1",  # the local receiver is plain http://
        "EWTP_WORKER_POLL_SECONDS": "0.2",
    }
    foreign: list[str] = []
    with (
        run_receiver() as receiver,
        run_server(url, tmp_path, **env) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, accept_downloads=True, locale="en-GB"
            )
            isolate(context, base, foreign)
            page = context.new_page()
            page.set_default_timeout(10_000)
            sweep = Sweep(page, base)
            sweep.check("signup", "/signup")
            sweep.check("signin", "/signin")

            # 1. Sign up.
            page.goto(f"{base}/signup")
            page.fill("#f-company", "Hangzhou Gadgets")
            page.fill("#f-email", "owner@gadgets.example")
            page.fill("#f-password", "short")
            page.click("button[type=submit]")
            assert (
                page.locator('[data-field="password"]').inner_text()
                == "must be at least 10 characters"
            )
            page.fill("#f-password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/app")
            sweep.check("overview")

            # 2. Quote CN -> FR with a battery item: the warning says so in plain words.
            sweep.check("quote", "/app/quote")
            page.click("#get-quote")  # empty: the first bad field is named next to it
            assert page.locator('[data-field="sender.name"]').inner_text() == "must not be empty"
            _quote(page, base, battery=True)
            warning = page.locator("#warnings").inner_text()
            assert "lithium battery mark" in warning
            assert "UN3481" in warning
            cards = page.locator("article.option")
            assert cards.count() >= 1
            assert "VAT" in cards.first.inner_text()
            sweep.check("options")

            # 3. Book from an option.
            cards.first.locator("button[type=submit]").click()
            page.wait_for_url("**/app/shipments/*?booked=1")
            number = page.locator("h1").inner_text().split()[0]
            assert re.fullmatch(r"[A-Z]{2}\d{9}CN", number)
            detail = page.url.split("?")[0]
            sweep.check("shipment")

            # 4. The label is a PDF with the tracking number on it.
            with page.expect_download() as download:
                page.click("#label-link")
            pdf = Path(download.value.path()).read_bytes()
            assert pdf.startswith(b"%PDF-")
            text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace(
                " ", ""
            )
            assert number in text

            # 5. The shipment is in the list, and found by its tracking number.
            sweep.check("shipments", "/app/shipments")
            assert number in page.locator("#shipments").inner_text()
            page.fill("#f-number", number)
            page.click("#filters button[type=submit]")
            assert page.locator("#rows tr").count() == 1
            with page.expect_download() as csv_download:
                page.click("text=Export CSV")
            assert number in Path(csv_download.value.path()).read_text()

            # 6. An operator posts scans through the API; the timeline shows them.
            now = datetime.now(UTC)
            events = [
                {"tracking_number": number, "code": code, "hub": "HGH",
                 "occurred_at": (now + timedelta(seconds=s)).isoformat()}
                for code, s in (("accepted", 1), ("departed", 2))
            ]  # fmt: skip
            posted = httpx.post(f"{base}/v1/tracking/events", json={"events": events},
                                headers={"Authorization": f"Bearer {operator.plain}"})  # fmt: skip
            assert posted.status_code == 200, posted.text
            page.goto(detail)
            timeline = page.locator("#timeline li")
            assert timeline.count() == 2
            assert "Departed" in timeline.nth(0).inner_text()
            assert "Accepted by the network" in timeline.nth(1).inner_text()
            assert page.locator("#cancel-refusal").is_visible()  # handed over: says why not

            # 7. Cancel a second shipment.
            _quote(page, base, battery=False)
            page.locator("article.option button[type=submit]").first.click()
            page.wait_for_url("**/app/shipments/*?booked=1")
            page.click("#cancel")
            page.wait_for_load_state()
            assert page.locator("#status").inner_text() == "Cancelled"

            # 8. Upload a CSV with one bad row: that row's error, and nothing stored.
            template = page.request.get(f"{base}/app/bulk/template.csv").text()
            header, good = template.splitlines()[:2]
            bad = good.replace("610910", "61").replace("ORDER-1001", "ORDER-1002")
            upload = tmp_path / "orders.csv"
            upload.write_text(f"{header}\n{good}\n{bad}\n")
            sweep.check("bulk", "/app/bulk")
            page.set_input_files("#f-file", str(upload))
            page.click("form[enctype] button[type=submit]")
            row = page.locator("#row-errors tbody tr")
            assert row.count() == 1
            # Rows are named by their line in the file, the header being line 1.
            assert row.first.inner_text().split("\t")[:2] == ["3", "hs_code"]
            page.goto(f"{base}/app/shipments?status=draft")
            assert "No shipments match." in page.locator("#rows").inner_text()

            # 9. Create a webhook and see its deliveries.
            sweep.check("developers", "/app/developers")
            page.fill("#f-url", receiver.url)
            page.click("#create-webhook")
            assert page.locator("#new-secret").inner_text().startswith("whsec_")
            more = [{"tracking_number": number, "code": "arrived", "hub": "LGG",
                     "occurred_at": (now + timedelta(seconds=3)).isoformat()}]  # fmt: skip
            # Later than the departure, and not ahead of the server clock (scans more than
            # EWTP_SCAN_MAX_FUTURE_MINUTES ahead are refused).
            arrived = httpx.post(f"{base}/v1/tracking/events", json={"events": more},
                                 headers={"Authorization": f"Bearer {operator.plain}"})  # fmt: skip
            assert arrived.json()["accepted"] == 1, arrived.text
            receiver.wait_for(lambda r: len(r.ids()) >= 1)
            page.click("#endpoints a")
            page.wait_for_selector("#deliveries")
            for _ in range(20):
                if "succeeded" in page.locator("#deliveries").inner_text():
                    break
                page.wait_for_timeout(300)
                page.reload()
            assert "tracking.updated" in page.locator("#deliveries").inner_text()
            page.select_option("#f-status", "failed")
            page.click("#filters button[type=submit]")
            assert "No deliveries yet." in page.locator("#deliveries").inner_text()
            sweep.check("webhook")
            sweep.check("landed-cost", "/app/landed-cost")
            page.fill("#f-items-0-description", "T-shirt")
            page.fill("#f-items-0-hs_code", "610910")
            page.fill("#f-items-0-quantity", "2")
            page.fill("#f-items-0-unit_value", "12.50")
            page.click("form button[type=submit]:has-text('Calculate')")
            assert "vat FR" in page.locator("#sources").inner_text()
            sweep.check("landed-cost-result")
            sweep.check("hs-search", "/app/hs?q=accumulators")
            sweep.check("not-found", "/app/shipments/no-such-id")

            # A form without its CSRF token is refused; the session cookie does not open /v1.
            assert page.request.post(f"{base}/app/developers/keys", form={}).status == 403
            assert page.request.get(f"{base}/v1/shipments").status == 401

            # 10. Switch to Chinese: the same pages, translated.
            sweep.check("settings", "/app/settings")
            page.fill("#f-invite_email", "packer@gadgets.example")
            page.click("form[action='/app/settings/invite'] button[type=submit]")
            link = page.locator("#invite-link").inner_text()
            guest = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            isolate(guest, base, foreign)
            invited = Sweep(guest.new_page(), base)
            invited.check("invite", link.replace(base, ""))
            sweep.violations += invited.violations
            sweep.wide += invited.wide
            guest.close()
            page.select_option("#f-language", "zh_Hans")
            page.select_option("#f-time_zone", "Asia/Shanghai")
            page.click("#save-preferences")
            page.wait_for_url("**/app/settings?saved=preferences")
            assert page.locator("h1").inner_text() == "设置"
            assert page.locator("html").get_attribute("lang") == "zh-Hans"
            for name, path, heading in (
                ("overview-zh", "/app", "概览"), ("shipments-zh", "/app/shipments", "货件"),
                ("quote-zh", "/app/quote", "货件报价"), ("developers-zh", "/app/developers", "开发者"),
            ):  # fmt: skip
                sweep.check(name, path)
                assert page.locator("h1").inner_text().startswith(heading)
            page.goto(detail)
            assert "已离开" in page.locator("#timeline").inner_text()  # "Departed"
            assert "CST" in page.locator("#timeline").inner_text()  # Shanghai time, named
            sweep.check("shipment-zh")
            page.click("header form button[type=submit]")  # sign out
            page.wait_for_url("**/signin")
        finally:
            browser.close()
    assert not foreign, f"the browser tried to reach other hosts: {foreign}"
    assert not sweep.violations, "axe-core found serious or critical violations:\n" + "\n".join(
        sweep.violations
    )
    assert not sweep.wide, f"pages scroll sideways: {sweep.wide}"
    assert len(list(ARTIFACTS.glob("*-390.png"))) >= 20

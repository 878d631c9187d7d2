"""The console's customs and tracking pages in headless Chromium (Debian's, never
downloaded): an operator adds a fee row and ends it and reads both audit entries, reads
the rules in force (as `GET /v1/customs/rules` lists them), uploads a manifest and sees
the job finish without the page reloading; after scans are posted with the operator key,
the scans-per-minute chart agrees with `GET /v1/tracking/ingestion` and a parcel is found
by its number. Screenshots at 390 and 1280 px, axe-core, no request to another host, and
a merchant session gets 403 on every one of these pages."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from e2e.web.browser import ARGS, CHROMIUM, Sweep, isolate
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import upgrade
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.console.test_customs_pages import MANIFEST
from integration.tracking.network import load_builtin_network
from integration.tracking.shipments import add_shipments
from support.console import OPERATOR_EMAIL, make_operator
from support.server import run_server
from support.web import PASSWORD

pytestmark = pytest.mark.e2e
NEEDED = os.environ.get("CI") == "true"
NEW_PAGES = ["/console/customs", "/console/customs/manifests", "/console/customs/fees",
             "/console/customs/rules", "/console/tracking", "/console/tracking/live",
             "/console/tracking/scans-per-minute.csv"]  # fmt: skip


@pytest.mark.skipif(not CHROMIUM.exists() and not NEEDED, reason="no Chromium at /usr/bin/chromium")
def test_an_operator_runs_customs_and_watches_tracking_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    load_builtin_network(factory)
    key = make_operator(factory).plain
    shop = create_account(SqlAlchemyUnitOfWork(factory), "Shop", Role.MERCHANT, datetime.now(UTC))
    numbers = list(add_shipments(factory, shop.account.id, [41, 42]))
    engine.dispose()
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(MANIFEST)
    foreign: list[str] = []
    with run_server(url, tmp_path, EWTP_PASSWORD_HASH_FAST="1") as base, sync_playwright() as pw:
        auth = {"Authorization": f"Bearer {key}"}
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            isolate(context, base, foreign)
            page = context.new_page()
            page.set_default_timeout(15_000)
            sweep = Sweep(page, base)
            page.goto(f"{base}/signin")
            page.fill("#f-email", OPERATOR_EMAIL)
            page.fill("#f-password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_url("**/console/network")

            # A fee row: a bad amount is named, then added, then ended; both audited.
            page.click('nav a[href="/console/customs"]')
            page.click('a[href="/console/customs/fees"]')
            page.fill("#f-country", "DE")
            page.fill("#f-amount", "two")
            page.fill("#f-valid_from", "2027-01-01")
            page.fill("#f-source", "Browser test notice")
            page.click("#add-fee button[type=submit]")
            assert "not a decimal number" in page.inner_text('[data-field="amount"]')
            page.fill("#f-amount", "1.75")
            page.click("#add-fee button[type=submit]")
            page.wait_for_selector("#saved")
            fee_id = page.get_attribute("#fees tr[data-fee]", "data-fee")
            assert fee_id is not None
            page.fill(f"#f-end-{fee_id}", "2027-06-30")
            page.click(f'#fees tr[data-fee="{fee_id}"] button[type=submit]')
            page.wait_for_selector(f'#fee-audit tr[data-action="end"][data-fee="{fee_id}"]')
            actors = page.locator(f'#fee-audit tr[data-fee="{fee_id}"] td.actor').all_inner_texts()
            assert actors == [OPERATOR_EMAIL, OPERATOR_EMAIL]
            audit = httpx.get(f"{base}/v1/customs/fees/audit", headers=auth).json()["data"]
            assert [(e["action"], e["actor"]) for e in audit] == [
                ("end", OPERATOR_EMAIL), ("add", OPERATOR_EMAIL),
            ]  # fmt: skip
            assert page.inner_text(f'#fees tr[data-fee="{fee_id}"] td.valid-to') == "2027-06-30"
            sweep.check("console-customs-fees")

            # The rules in force on a day, the API's rows.
            sweep.check("console-customs-rules", "/console/customs/rules?on=2026-12-01&country=FR")
            rules = httpx.get(f"{base}/v1/customs/rules?on=2026-12-01&country=FR").json()
            assert page.locator("#rules tbody tr").count() == rules["count"] > 0
            kinds = [r["kind"] for r in rules["data"]]
            drawn = page.locator("#rules tbody tr").evaluate_all(
                "rows => rows.map(r => r.dataset.kind)"
            )
            assert drawn == kinds

            # A manifest: upload, then its job finishes on the same page (htmx polling).
            page.goto(f"{base}/console/customs")
            page.set_input_files("#f-file", str(manifest))
            page.click("#upload-manifest")
            page.wait_for_url("**/console/customs/manifests/*")
            page.evaluate("window.__stayed = true")
            page.wait_for_selector('section.manifest-job[data-status="done"]')
            assert page.evaluate("window.__stayed === true")  # no full reload
            assert page.inner_text("#job-consignments") == "3"
            assert page.inner_text("#job-rejected") == "1"
            sweep.check("console-customs-job")
            sweep.check("console-customs", "/console/customs")

            # Scans with the operator key; the chart counts them as the API does.
            now = datetime.now(UTC)
            at = (now - timedelta(minutes=30)).isoformat()
            scans = [{"tracking_number": n, "code": "accepted", "occurred_at": at, "hub": "HGH"}
                     for n in numbers]  # fmt: skip
            scans.append({"tracking_number": numbers[0], "code": "accepted", "occurred_at": at,
                          "hub": "NOWHERE"})  # fmt: skip
            posted = httpx.post(f"{base}/v1/tracking/events", json={"events": scans},
                                headers=auth).json()  # fmt: skip
            assert (posted["accepted"], posted["rejected"]) == (2, 1)
            sweep.check("console-tracking", "/console/tracking")
            api = httpx.get(f"{base}/v1/tracking/ingestion", headers=auth).json()
            assert (api["accepted"], api["rejected"]) == (2, 1)
            drawn_bars = page.locator("#scans-per-minute rect").evaluate_all(
                "bars => bars.map(b => [b.dataset.series, b.dataset.label, +b.dataset.value])"
            )
            by_minute = {m["minute"][11:16]: m for m in api["minutes"]}
            assert sum(v for s, _, v in drawn_bars if s == "accepted") == 2
            assert sum(v for s, _, v in drawn_bars if s == "rejected") == 1
            for series, label, value in drawn_bars:
                if label in by_minute:
                    assert value == by_minute[label][series], (series, label)
            assert page.inner_text("#accepted-hour") == "2"
            assert page.locator('#rejections tr[data-code="unknown_hub"]').count() == 1

            page.fill("#f-number", numbers[1])
            page.click("#find-parcel")
            page.wait_for_selector(f'#parcel[data-number="{numbers[1]}"]')
            assert page.locator("#parcel-events tbody tr[data-code]").count() == 1
            sweep.check("console-tracking-parcel")

            # A merchant session gets 403 on every one of these pages.
            merchant = browser.new_context(locale="en-GB")
            isolate(merchant, base, foreign)
            other = merchant.new_page()
            other.goto(f"{base}/signup")
            other.fill("#f-company", "Shop Two")
            other.fill("#f-email", "owner@shop-two.example")
            other.fill("#f-password", PASSWORD)
            other.click("button[type=submit]")
            other.wait_for_url(f"{base}/app")
            for path in NEW_PAGES:
                answer = other.request.get(f"{base}{path}", max_redirects=0)
                assert answer.status == 403, path
            merchant.close()
        finally:
            browser.close()
    assert sweep.violations == []
    assert sweep.wide == []
    assert foreign == []

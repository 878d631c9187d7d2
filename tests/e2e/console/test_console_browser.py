"""The operator console in headless Chromium (Debian's, never downloaded): sign in, the
map and LGG's services, HGH coverage against `ewtp network coverage`, the hub after sort
scans, a capacity plan's load factor against its JSON. Every page is screenshotted at 390
and 1280 px and checked with axe-core; the browser may reach no host but the server."""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from e2e.network.test_network_cli import ewtp
from e2e.web.browser import ARGS, CHROMIUM, Sweep, isolate
from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.migrate import upgrade
from integration.console.test_plan_pages import PLAN
from integration.tracking.network import load_builtin_network
from support.console import OPERATOR_EMAIL, make_operator
from support.server import run_server
from support.web import PASSWORD

pytestmark = pytest.mark.e2e
NEEDED = os.environ.get("CI") == "true"


@pytest.mark.skipif(not CHROMIUM.exists() and not NEEDED, reason="no Chromium at /usr/bin/chromium")
def test_an_operator_reads_the_console_in_the_browser(tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine)
    load_builtin_network(factory)
    key = make_operator(factory).plain
    engine.dispose()
    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    cli = ewtp("network", "coverage", "--origin", "HGH", "--week", monday.isoformat(),
               "--format", "json", db_url=url, var_dir=tmp_path)  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    coverage = {row["zone"]: row for row in json.loads(cli.stdout)}
    foreign: list[str] = []
    with run_server(url, tmp_path, EWTP_PASSWORD_HASH_FAST="1") as base, sync_playwright() as pw:
        auth = {"Authorization": f"Bearer {key}"}
        now = datetime.now(UTC)
        scans = [
            {"tracking_number": f"LP{i:09d}CN", "scanned_at": now.isoformat()} for i in range(5)
        ]
        assert httpx.post(f"{base}/v1/hubs/LGG/sort-decisions", json={"scans": scans},
                          headers=auth, timeout=60).status_code == 200  # fmt: skip
        plan_id = httpx.post(f"{base}/v1/plans", json=PLAN, headers=auth).json()["id"]
        for _ in range(300):
            job = httpx.get(f"{base}/v1/plans/{plan_id}", headers=auth).json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert job["status"] == "done", job
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

            # The map: click LGG, its services appear beside the map (htmx, no reload).
            page.click("#map-europe a.hub[data-hub=LGG] circle")
            page.wait_for_selector("#hub-detail[data-hub=LGG]")
            assert page.locator("#hub-services tbody tr").count() > 0
            assert page.url.endswith("/console/network")
            sweep.check("console-map")
            # a lane: the link's own click (curves overlap where their boxes' centres fall)
            page.locator('#map-world a.lane[data-lane^="HGH-LGG"]').dispatch_event("click")
            page.wait_for_selector("#lane-departures")

            # Coverage for HGH: a row's share is the CLI's met_share for that zone.
            sweep.check("console-coverage", "/console/coverage?origin=HGH")
            fr = page.get_attribute('tr[data-zone="FR"] td.met', "data-share")
            assert float(fr or "nan") == coverage["FR"]["met_share"]
            cell = page.locator('#heatmap rect[data-zone="FR"][data-hour="10"] title').inner_html()
            assert "HGH" in cell

            # The hub after the scans: this hour's bar holds the five decisions.
            sweep.check("console-hub", "/console/hubs/LGG")
            hour = datetime.now(UTC).strftime("%H")
            bar = page.get_attribute(
                f'#throughput rect[data-series="sorted_today"][data-label="{hour}"]', "data-value"
            )
            assert bar is not None
            assert float(bar) >= 5

            # A capacity plan: the drawn load factor is the JSON's.
            sweep.check("console-plans", "/console/plans")
            sweep.check("console-plan", f"/console/plans/{plan_id}")
            first = next(d for d in job["plan"]["departures"] if d["open"] and d["kg"] > 0)
            drawn = page.get_attribute(f'#loads rect[data-label="{first["id"]}"]', "data-value")
            assert float(drawn or "nan") == first["load_factor"]
        finally:
            browser.close()
    assert sweep.violations == []
    assert sweep.wide == []
    assert foreign == []

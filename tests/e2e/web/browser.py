"""Playwright helpers for the page suite: Debian's Chromium (never downloaded), requests
to any host but the server refused, axe-core from the vendored copy, screenshots kept."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import ewtp.web

__all__ = ["ARGS", "ARTIFACTS", "CHROMIUM", "Sweep", "isolate"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ROOT = Path(__file__).resolve().parents[3]
ARTIFACTS = Path(os.environ.get("EWTP_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts")) / "web"
AXE = Path(ewtp.web.__file__).parent / "static" / "vendor" / "axe.min.js"
WIDTHS = (390, 1280)


def isolate(context: Any, base: str, foreign: list[str]) -> None:
    """Abort every request to a host other than the server's, and remember it."""
    ours = urlsplit(base).netloc

    def handle(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == ours or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            foreign.append(url)
            route.abort("blockedbyclient")

    context.route("**/*", handle)


class Sweep:
    """Visit pages at phone and desktop width: screenshot, axe, no sideways scrolling."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.violations: list[str] = []
        self.wide: list[str] = []
        self.checked = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def check(self, name: str, path: str | None = None) -> None:
        page = self.page
        if path is not None:
            page.goto(self.base + path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width + 1:
                self.wide.append(f"{name}@{width}: {scroll}px")
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            "async () => { const r = await axe.run(document);"
            " return {passes: r.passes.length, bad: r.violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))}; }"
        )
        assert found["passes"] > 10, f"axe-core did not really run on {name}"
        self.violations += [f"{name}: {v}" for v in found["bad"]]
        self.checked += 1
        page.set_viewport_size({"width": 1280, "height": 900})

"""The vendored front-end files are exactly the ones the manifest names, byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import ewtp.web

VENDOR = Path(ewtp.web.__file__).parent / "static" / "vendor"


def test_every_vendored_file_matches_its_manifest_checksum() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    assert {m["package"] for m in manifest} >= {"htmx.org", "@picocss/pico", "uplot", "axe-core"}
    for entry in manifest:
        data = (VENDOR / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert entry["version"].count(".") == 2, "versions are pinned exactly"


def test_htmx_is_major_version_2() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    htmx = next(m for m in manifest if m["package"] == "htmx.org")
    assert htmx["version"].startswith("2.")
    assert b'version:"2.' in (VENDOR / htmx["file"]).read_bytes()


def test_no_file_in_vendor_is_missing_from_the_manifest() -> None:
    manifest = json.loads((VENDOR / "MANIFEST.json").read_text())
    listed = {m["file"] for m in manifest} | {"MANIFEST.json"}
    present = {p.name for p in VENDOR.iterdir() if not p.name.startswith("LICENSE")}
    assert present == listed

"""Install the pinned front-end packages with npm and copy the files the pages use.

Run by `make vendor`; its output (`src/ewtp/web/static/vendor/`) is committed, so the
server and CI need neither npm nor a network. `MANIFEST.json` lists package, version,
file and SHA-256; `tests/unit/web/test_vendor_manifest.py` checks the files against it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENDOR = ROOT / "src" / "ewtp" / "web" / "static" / "vendor"

# package, exact version, files to copy (source path inside the package -> name in vendor/)
PACKAGES: list[tuple[str, str, dict[str, str]]] = [
    ("htmx.org", "2.0.11", {"dist/htmx.min.js": "htmx.min.js"}),
    ("@picocss/pico", "2.0.1", {"css/pico.min.css": "pico.min.css"}),
    (
        "uplot",
        "1.6.32",
        {"dist/uPlot.iife.min.js": "uPlot.iife.min.js", "dist/uPlot.min.css": "uPlot.min.css"},
    ),
    ("axe-core", "4.14.1", {"axe.min.js": "axe.min.js"}),
    # the console map: Natural Earth 1:110m countries as TopoJSON, projected on the server
    ("world-atlas", "2.0.2", {"countries-110m.json": "countries-110m.json"}),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="ewtp-vendor-") as tmp:
        specs = [f"{name}@{version}" for name, version, _ in PACKAGES]
        subprocess.run(
            ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--ignore-scripts",
             "--prefix", tmp, *specs],
            check=True,
        )  # fmt: skip
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        VENDOR.mkdir(parents=True)
        manifest = []
        for name, version, files in PACKAGES:
            package_dir = Path(tmp) / "node_modules" / name
            installed = json.loads((package_dir / "package.json").read_text())["version"]
            if installed != version:
                print(f"{name}: npm installed {installed}, wanted {version}", file=sys.stderr)
                return 1
            for source, target in files.items():
                shutil.copyfile(package_dir / source, VENDOR / target)
                manifest.append(
                    {"package": name, "version": version, "source": source,
                     "file": target, "sha256": sha256(VENDOR / target)}
                )  # fmt: skip
            licence = next(package_dir.glob("LICEN[CS]E*"), None)
            if licence is not None:
                safe = name.replace("/", "_").lstrip("@")
                shutil.copyfile(licence, VENDOR / f"LICENSE.{safe}.txt")
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"vendored {len(manifest)} files into {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

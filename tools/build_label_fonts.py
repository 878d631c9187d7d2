"""Rebuild the label fonts vendored in `src/ewtp/data/fonts/` from their registry packages.

Labels are drawn by reportlab, which embeds only TrueType (glyf) outlines, so:
- Noto Sans (PyPI `fontpkg-noto-sans`, a variable TTF) is instanced at wght 400 and 700,
  width 100, and cut to Latin, Latin Extended, Greek, Cyrillic and common punctuation:
  every official EU script.
- Noto Sans SC (npm `@fontsource/noto-sans-sc`, Google Fonts' glyf build split into
  unicode-range WOFF files) is merged back from the pieces that hold GB 2312 (the 6,763
  hanzi of simplified Chinese in everyday use) plus CJK punctuation and full-width forms.

Run by hand with fontTools installed (a dev dependency); it downloads nothing itself:
    .venv/bin/python tools/build_label_fonts.py WHEEL_OR_DIR NPM_PACKAGE_DIR
where WHEEL_OR_DIR is the unpacked `fontpkg-noto-sans` wheel and NPM_PACKAGE_DIR the
unpacked `npm pack @fontsource/noto-sans-sc` (its `package/`). Writes the fonts, the
licences and `MANIFEST.json` with each file's SHA-256.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.merge import Merger
from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

OUT = Path(__file__).resolve().parents[1] / "src" / "ewtp" / "data" / "fonts"
EU_RANGES = [
    (0x0020, 0x024F),  # Basic Latin .. Latin Extended-B
    (0x0259, 0x0259),
    (0x02C6, 0x02DD),  # modifier letters and spacing accents
    (0x0300, 0x036F),  # combining marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x206F),  # general punctuation
    (0x20A0, 0x20C0),  # currency signs (euro, zloty, ...)
    (0x2100, 0x2122),  # letterlike (numero, trade mark)
    (0x2190, 0x2193),  # arrows used on labels
]
CJK_EXTRA = [(0x3000, 0x303F), (0xFF00, 0xFF65)]


def _codes(ranges: list[tuple[int, int]]) -> set[int]:
    return {c for lo, hi in ranges for c in range(lo, hi + 1)}


def _gb2312() -> set[int]:
    found = set()
    for b1 in range(0xA1, 0xF8):
        for b2 in range(0xA1, 0xFF):
            try:
                found.add(ord(bytes([b1, b2]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return found


def _options() -> subset.Options:
    options = subset.Options()
    options.layout_features = ["kern", "liga", "ccmp", "mark", "mkmk"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["STAT", "BASE", "vhea", "vmtx"]
    return options


def build_latin(variable: Path) -> list[Path]:
    written = []
    for weight, style in ((400, "Regular"), (700, "Bold")):
        font = TTFont(variable)
        font = instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100})
        # The static instance keeps the variable font's default names; give it its own, or
        # PDF readers (and reportlab's face cache) take the Bold for the Regular.
        names = font["name"]
        names.setName(style, 2, 3, 1, 0x409)
        names.setName(f"Noto Sans {style}", 4, 3, 1, 0x409)
        names.setName(f"NotoSans-{style}", 6, 3, 1, 0x409)
        font["OS/2"].usWeightClass = weight
        cmap = font.getBestCmap()
        sub = subset.Subsetter(_options())
        sub.populate(unicodes=sorted(_codes(EU_RANGES) & set(cmap)))
        sub.subset(font)
        path = OUT / f"NotoSans-{style}.ttf"
        font.save(path)
        written.append(path)
    return written


def build_cjk(npm_package: Path) -> Path:
    want = _gb2312() | _codes(CJK_EXTRA)
    pieces = sorted(
        p
        for p in (npm_package / "files").glob("noto-sans-sc-*-400-normal.woff")
        if re.search(r"-(\d+|chinese-simplified)-400-normal", p.name)
    )
    covered: set[int] = set()
    parts: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        for piece in pieces:
            font = TTFont(piece)
            need = (want & set(font.getBestCmap())) - covered
            if not need:
                continue
            covered |= need
            options = _options()
            options.layout_features = []
            options.drop_tables += ["GSUB", "GPOS", "GDEF"]
            sub = subset.Subsetter(options)
            sub.populate(unicodes=sorted(need))
            sub.subset(font)
            font.flavor = None
            part = Path(tmp) / f"part{len(parts)}.ttf"
            font.save(part)
            parts.append(str(part))
        merged = Merger().merge(parts)
    path = OUT / "NotoSansSC-Regular.ttf"
    merged.save(path)
    return path


def main(wheel_dir: Path, npm_package: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    meta = json.loads((wheel_dir / "fontpkg_noto_sans" / "metadata.json").read_text())
    npm = json.loads((npm_package / "package.json").read_text())
    latin = build_latin(wheel_dir / "fontpkg_noto_sans" / "files" / "NotoSans[wdth,wght].ttf")
    cjk = build_cjk(npm_package)
    shutil.copy(wheel_dir / "fontpkg_noto_sans" / "LICENSE", OUT / "NotoSans-OFL.txt")
    shutil.copy(npm_package / "LICENSE", OUT / "NotoSansSC-OFL.txt")
    entries = []
    for path in [*latin, cjk]:
        is_cjk = path == cjk
        entries.append(
            {
                "file": path.name,
                "family": "Noto Sans SC" if is_cjk else "Noto Sans",
                "font_version": TTFont(path)["name"].getDebugName(5).split(";")[0],
                "package_version": npm["version"] if is_cjk else meta["version"],
                "source_package": "npm @fontsource/noto-sans-sc"
                if is_cjk
                else "PyPI fontpkg-noto-sans",
                "licence": "OFL-1.1",
                "licence_file": "NotoSansSC-OFL.txt" if is_cjk else "NotoSans-OFL.txt",
                "outlines": "glyf (TrueType)",
                "coverage": "GB 2312 hanzi, CJK punctuation, full-width forms"
                if is_cjk
                else "Latin, Latin Extended A/B/Additional, Greek, Cyrillic, punctuation",
                "glyphs": len(TTFont(path).getGlyphOrder()),
                "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
            }
        )
    manifest = {
        "note": "Rebuilt by tools/build_label_fonts.py; subset again per label by reportlab.",
        "fonts": entries,
    }
    (OUT / "MANIFEST.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))

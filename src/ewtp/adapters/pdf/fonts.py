"""The vendored label fonts and text drawn run by run in the first font that has each glyph.

reportlab has no glyph fallback, so a line such as "王芳, ul. Łąkowa 5" is cut into runs:
each character goes to the first font of the stack whose cmap holds it (Noto Sans for
Latin, Greek and Cyrillic, Noto Sans SC for hanzi). reportlab embeds only the glyphs a
document uses, so every label carries its own small subset. The files, their licences and
SHA-256 are listed in `ewtp/data/fonts/MANIFEST.json`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

__all__ = ["FontStack", "label_fonts"]


@dataclass(frozen=True, slots=True)
class _Face:
    name: str
    codes: frozenset[int]


@dataclass(frozen=True, slots=True)
class FontStack:
    """Registered reportlab font names, tried in order for each character."""

    regular: tuple[_Face, ...]
    bold: tuple[_Face, ...]

    def runs(self, text: str, *, bold: bool = False) -> list[tuple[str, str]]:
        """`text` as (font name, piece) runs; a character no font has uses the first font."""
        faces = self.bold if bold else self.regular
        out: list[tuple[str, str]] = []
        for char in text:
            code = ord(char)
            name = next((f.name for f in faces if code in f.codes), faces[0].name)
            if out and out[-1][0] == name:
                out[-1] = (name, out[-1][1] + char)
            else:
                out.append((name, char))
        return out

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        runs = self.runs(text, bold=bold)
        return sum((float(pdfmetrics.stringWidth(p, n, size)) for n, p in runs), 0.0)

    def fit(self, text: str, size: float, max_width: float, *, bold: bool = False) -> str:
        """`text` cut (with an ellipsis) so it fits in `max_width` points."""
        if self.width(text, size, bold=bold) <= max_width:
            return text
        while text and self.width(text + "…", size, bold=bold) > max_width:
            text = text[:-1]
        return text + "…"

    def draw(
        self,
        canvas: Canvas,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        bold: bool = False,
        align: str = "left",
    ) -> None:
        """Draw `text` with its left, centre or right end at `x`."""
        if align != "left":
            width = self.width(text, size, bold=bold)
            x -= width if align == "right" else width / 2
        for name, piece in self.runs(text, bold=bold):
            canvas.setFont(name, size)
            canvas.drawString(x, y, piece)
            x += pdfmetrics.stringWidth(piece, name, size)


def _register(name: str, filename: str) -> _Face:
    path = resources.files("ewtp.data").joinpath("fonts", filename)
    with resources.as_file(path) as real:
        font = TTFont(name, str(real))
    pdfmetrics.registerFont(font)
    return _Face(name, frozenset(font.face.charToGlyph))


@cache
def label_fonts() -> FontStack:
    """The label font stack, registered with reportlab once per process."""
    cjk = _register("EwtpNotoSansSC", "NotoSansSC-Regular.ttf")
    regular = _register("EwtpNotoSans", "NotoSans-Regular.ttf")
    bold = _register("EwtpNotoSans-Bold", "NotoSans-Bold.ttf")
    return FontStack(regular=(regular, cjk), bold=(bold, cjk))

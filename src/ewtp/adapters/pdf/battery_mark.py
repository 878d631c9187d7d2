"""The IATA lithium battery mark (DGR 7.1.5.5, Figure 7.1.C) for Section II packages.

The mark is a rectangle with a red hatched border, a battery symbol (cells, one of them
damaged and in flames), the UN number(s) of the batteries and a telephone number for
additional information. Its minimum size is 100 x 100 mm, or 100 x 70 mm on a small
package; the label therefore carries it twice: a reduced copy on the label itself, so the
sorter sees it, and a full-size copy on a page of its own to stick on the package.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.colors import Color, black, white
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ewtp.adapters.pdf.fonts import FontStack

__all__ = ["FULL_SIZE_MM", "draw_lithium_battery_mark"]

FULL_SIZE_MM = (100, 100)
RED = Color(0.85, 0.1, 0.1)


def _hatched_border(canvas: Canvas, x: float, y: float, w: float, h: float, band: float) -> None:
    """Red diagonal stripes in a band of width `band` around the rectangle."""
    canvas.saveState()
    path = canvas.beginPath()
    path.rect(x, y, w, h)
    canvas.clipPath(path, stroke=0, fill=0)
    canvas.setStrokeColor(RED)
    canvas.setLineWidth(band / 2.5)
    step = band * 0.9
    offset = -h
    while offset < w:
        canvas.line(x + offset, y, x + offset + h, y + h)
        offset += step
    canvas.restoreState()
    canvas.setFillColor(white)
    canvas.rect(x + band, y + band, w - 2 * band, h - 2 * band, fill=1, stroke=0)
    canvas.setStrokeColor(black)
    canvas.setLineWidth(0.5)
    canvas.rect(x, y, w, h)


def _battery_symbol(canvas: Canvas, x: float, y: float, size: float) -> None:
    """Three cells side by side, the last one cracked with a flame above it."""
    canvas.saveState()
    cell_w, cell_h = size * 0.22, size * 0.5
    for i in range(3):
        cx = x + i * (cell_w + size * 0.05)
        canvas.setFillColor(white)
        canvas.setStrokeColor(black)
        canvas.setLineWidth(max(0.6, size / 60))
        canvas.rect(cx, y, cell_w, cell_h, fill=1, stroke=1)
        canvas.setFillColor(black)
        canvas.rect(cx + cell_w * 0.3, y + cell_h, cell_w * 0.4, size * 0.05, fill=1, stroke=0)
        canvas.drawString(cx + cell_w * 0.3, y + cell_h * 0.6, "+")
    crack_x = x + 2 * (cell_w + size * 0.05)
    canvas.line(crack_x, y + cell_h * 0.35, crack_x + cell_w, y + cell_h * 0.65)
    flame = canvas.beginPath()
    fx, fy = crack_x + cell_w * 0.5, y + cell_h + size * 0.08
    flame.moveTo(fx - cell_w * 0.45, fy)
    flame.curveTo(fx - cell_w * 0.6, fy + size * 0.2, fx, fy + size * 0.25, fx, fy + size * 0.42)
    flame.curveTo(
        fx + cell_w * 0.2,
        fy + size * 0.25,
        fx + cell_w * 0.7,
        fy + size * 0.2,
        fx + cell_w * 0.45,
        fy,
    )
    flame.close()
    canvas.setFillColor(RED)
    canvas.drawPath(flame, fill=1, stroke=0)
    canvas.restoreState()


def draw_lithium_battery_mark(
    canvas: Canvas,
    fonts: FontStack,
    x: float,
    y: float,
    width: float,
    height: float,
    un_numbers: Sequence[str],
    phone: str | None,
) -> None:
    """Draw the mark in the box (x, y, width, height), lower-left origin, in points."""
    band = max(2.5 * mm, min(width, height) * 0.06)
    canvas.setFillColor(white)
    canvas.rect(x, y, width, height, fill=1, stroke=0)
    _hatched_border(canvas, x, y, width, height, band)
    inner_x, inner_y = x + band + 1.5 * mm, y + band + 1.5 * mm
    inner_h = height - 2 * band - 3 * mm
    symbol = min(inner_h * 0.95, width * 0.3)
    _battery_symbol(canvas, inner_x, inner_y + (inner_h - symbol * 0.9) / 2, symbol)
    text_x = inner_x + symbol * 0.85 + 2 * mm
    text_w = x + width - band - 1.5 * mm - text_x
    canvas.setFillColor(black)
    lines = [
        ("LITHIUM BATTERY", True),
        (" ".join(sorted(set(un_numbers))), True),
        (f"Tel. {phone}" if phone else "Tel. ______________", False),
    ]
    size = min(inner_h / 4.2, text_w / 9.5)
    line_y = inner_y + inner_h - size
    for text, bold in lines:
        fonts.draw(
            canvas, text_x, line_y, fonts.fit(text, size, text_w, bold=bold), size, bold=bold
        )
        line_y -= size * 1.35

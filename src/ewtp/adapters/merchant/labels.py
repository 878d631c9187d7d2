"""PDF shipping labels with reportlab: 100 x 150 mm, Code 128 barcode of the S10 number.

Layout, top to bottom: service and incoterm band, sender, recipient, route and the
destination sort code, the lithium battery mark when the parcel holds Section II batteries,
then the barcode with its human-readable number underneath. Text is drawn with the vendored
Noto fonts (`adapters.pdf.fonts`), so Chinese, Polish, Czech, Greek and Cyrillic names
print as written. A battery parcel gets a second page with the full-size mark.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ewtp.adapters.pdf.battery_mark import FULL_SIZE_MM, draw_lithium_battery_mark
from ewtp.adapters.pdf.fonts import FontStack, label_fonts
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.shipments import Address
from ewtp.services.merchant.ports import AbstractLabelRenderer

__all__ = ["LABEL_SIZE_MM", "ReportlabLabelRenderer", "battery_un_numbers"]

LABEL_SIZE_MM = (100, 150)
MARGIN = 5 * mm
WIDTH, HEIGHT = LABEL_SIZE_MM[0] * mm, LABEL_SIZE_MM[1] * mm


def battery_un_numbers(shipment: Shipment) -> list[str]:
    """UN numbers of the batteries in the parcel; screening lets only Section II ones book."""
    return sorted({i.battery.un_number for i in shipment.request.items if i.battery})


def _address_lines(address: Address) -> list[str]:
    return [address.name, *address.lines, f"{address.postal_code} {address.city}", address.country]


def _label_page(canvas: Canvas, fonts: FontStack, shipment: Shipment, sort_code: str) -> None:
    assert shipment.tracking_number, "only booked shipments get a label"
    text_width = WIDTH - 2 * MARGIN
    level = shipment.option.service_level.value.upper() if shipment.option else ""
    y = HEIGHT - MARGIN - 12
    fonts.draw(canvas, MARGIN, y, f"ewtp {level}", 14, bold=True)
    fonts.draw(
        canvas, WIDTH - MARGIN, y, shipment.request.incoterm.value, 14, bold=True, align="right"
    )
    y -= 8
    canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    for title, address, size in (
        ("FROM", shipment.request.sender, 7),
        ("TO", shipment.request.recipient, 10),
    ):
        y -= 12
        fonts.draw(canvas, MARGIN, y, title, 7, bold=True)
        for line in _address_lines(address):
            y -= size + 2
            fonts.draw(canvas, MARGIN, y, fonts.fit(line, size, text_width), size)
        y -= 4
        canvas.line(MARGIN, y, WIDTH - MARGIN, y)
    legs = shipment.option.legs if shipment.option else ()
    hubs = [legs[0].origin, *(leg.destination for leg in legs)] if legs else []
    y -= 12
    fonts.draw(canvas, MARGIN, y, fonts.fit("ROUTE " + " > ".join(hubs), 8, text_width), 8)
    y -= 22
    fonts.draw(canvas, MARGIN, y, sort_code, 20, bold=True)
    barcode = Code128(shipment.tracking_number, barWidth=0.38 * mm, barHeight=22 * mm, quiet=True)
    barcode.drawOn(canvas, (WIDTH - barcode.width) / 2, MARGIN + 12)
    numbers = battery_un_numbers(shipment)
    if numbers:
        top, bottom = y - 4 * mm, MARGIN + 12 + 22 * mm + 3 * mm
        draw_lithium_battery_mark(
            canvas, fonts, MARGIN, bottom, text_width, min(top - bottom, 34 * mm), numbers,
            shipment.request.sender.phone,
        )  # fmt: skip
    fonts.draw(
        canvas, WIDTH / 2, MARGIN + 2, shipment.tracking_number, 12, bold=True, align="center"
    )
    canvas.showPage()
    if numbers:
        mark_w, mark_h = FULL_SIZE_MM[0] * mm, FULL_SIZE_MM[1] * mm
        x, y0 = (WIDTH - mark_w) / 2, (HEIGHT - mark_h) / 2
        draw_lithium_battery_mark(
            canvas, fonts, x, y0, mark_w, mark_h, numbers, shipment.request.sender.phone
        )
        fonts.draw(canvas, WIDTH / 2, y0 - 8 * mm, shipment.tracking_number, 10, align="center")
        canvas.showPage()


class ReportlabLabelRenderer(AbstractLabelRenderer):
    def render(self, shipment: Shipment, sort_code: str) -> bytes:
        return self.render_many([(shipment, sort_code)])

    def render_many(self, labels: Sequence[tuple[Shipment, str]]) -> bytes:
        """One PDF with the labels in the given order (a battery parcel's mark page follows)."""
        fonts = label_fonts()
        buffer = io.BytesIO()
        canvas = Canvas(
            buffer, pagesize=(WIDTH, HEIGHT), invariant=True, initialFontName=fonts.regular[0].name
        )
        numbers = [s.tracking_number or "" for s, _ in labels]
        canvas.setTitle(f"Label {numbers[0]}" if len(numbers) == 1 else f"{len(numbers)} labels")
        for shipment, code in labels:
            _label_page(canvas, fonts, shipment, code)
        canvas.save()
        return buffer.getvalue()

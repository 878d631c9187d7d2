"""PDF shipping labels with reportlab: 100 x 150 mm, Code 128 barcode of the S10 number.

Layout, top to bottom: service and incoterm band, sender, recipient, route and the
destination sort code, then the barcode with its human-readable number underneath.
"""

from __future__ import annotations

import io

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.shipments import Address
from ewtp.services.merchant.ports import AbstractLabelRenderer

__all__ = ["LABEL_SIZE_MM", "ReportlabLabelRenderer"]

LABEL_SIZE_MM = (100, 150)
MARGIN = 5 * mm


def _address_lines(address: Address) -> list[str]:
    lines = [address.name, *address.lines, f"{address.postal_code} {address.city}"]
    lines.append(address.country)
    return [line[:48] for line in lines]


class ReportlabLabelRenderer(AbstractLabelRenderer):
    def render(self, shipment: Shipment, sort_code: str) -> bytes:
        assert shipment.tracking_number, "only booked shipments get a label"
        width, height = LABEL_SIZE_MM[0] * mm, LABEL_SIZE_MM[1] * mm
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=(width, height), invariant=True)
        canvas.setTitle(f"Label {shipment.tracking_number}")
        level = shipment.option.service_level.value.upper() if shipment.option else ""
        y = height - MARGIN - 12
        canvas.setFont("Helvetica-Bold", 14)
        canvas.drawString(MARGIN, y, f"ewtp {level}")
        canvas.drawRightString(width - MARGIN, y, shipment.request.incoterm.value)
        y -= 8
        canvas.line(MARGIN, y, width - MARGIN, y)
        for title, address, size in (
            ("FROM", shipment.request.sender, 7),
            ("TO", shipment.request.recipient, 10),
        ):
            y -= 12
            canvas.setFont("Helvetica-Bold", 7)
            canvas.drawString(MARGIN, y, title)
            canvas.setFont("Helvetica", size)
            for line in _address_lines(address):
                y -= size + 2
                canvas.drawString(MARGIN, y, line)
            y -= 4
            canvas.line(MARGIN, y, width - MARGIN, y)
        legs = shipment.option.legs if shipment.option else ()
        hubs = [legs[0].origin, *(leg.destination for leg in legs)] if legs else []
        y -= 12
        canvas.setFont("Helvetica", 8)
        canvas.drawString(MARGIN, y, "ROUTE " + " > ".join(hubs))
        y -= 22
        canvas.setFont("Helvetica-Bold", 20)
        canvas.drawString(MARGIN, y, sort_code)
        barcode = Code128(
            shipment.tracking_number, barWidth=0.38 * mm, barHeight=22 * mm, quiet=True
        )
        x = (width - barcode.width) / 2
        barcode.drawOn(canvas, x, MARGIN + 12)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawCentredString(width / 2, MARGIN + 2, shipment.tracking_number)
        canvas.showPage()
        canvas.save()
        return buffer.getvalue()

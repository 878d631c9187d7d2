"""PDF drawing shared by documents: the vendored font stack and the marks labels carry."""

from __future__ import annotations

from ewtp.adapters.pdf.battery_mark import draw_lithium_battery_mark
from ewtp.adapters.pdf.fonts import FontStack, label_fonts

__all__ = ["FontStack", "draw_lithium_battery_mark", "label_fonts"]

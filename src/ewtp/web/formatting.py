"""Numbers, money and times formatted for the page's locale; times name their zone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from ewtp.web.i18n import current

__all__ = ["FILTERS"]


def money(amount: Decimal | str | None, currency: str) -> str:
    if amount is None:
        return ""
    return format_currency(Decimal(amount), currency, locale=current().babel)


def number(value: Decimal | int | float | None, digits: int = 3) -> str:
    if value is None:
        return ""
    return format_decimal(value, format=f"#,##0.{'#' * digits}", locale=current().babel)


def percent(value: float | Decimal | None) -> str:
    if value is None:
        return "–"
    return format_percent(value, format="#,##0.#%", locale=current().babel)


def when(moment: datetime | None) -> str:
    """Date and time in the viewer's zone, followed by the zone's abbreviation."""
    if moment is None:
        return ""
    here = current()
    local = moment.astimezone(here.zone)
    text = format_datetime(local, "medium", tzinfo=here.zone, locale=here.babel)
    return f"{text} {local.strftime('%Z')}"


def day(moment: datetime | None) -> str:
    if moment is None:
        return ""
    here = current()
    return format_date(moment.astimezone(here.zone).date(), "medium", locale=here.babel)


def iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


FILTERS = {
    "money": money,
    "number": number,
    "percent": percent,
    "when": when,
    "day": day,
    "iso": iso,
}

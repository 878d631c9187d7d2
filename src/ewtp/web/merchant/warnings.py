"""Customs warnings of a quote in plain words, from the customs engine's own screening."""

from __future__ import annotations

from decimal import Decimal

from fastapi import Request

from ewtp.adapters.merchant.customs import consignment_of
from ewtp.domain.errors import DomainError
from ewtp.domain.merchant.quotes import Quote
from ewtp.services.customs.landed_cost import assess_landed_cost
from ewtp.web.i18n import gettext as _
from ewtp.web.merchant.common import customs_uow

__all__ = ["customs_warnings"]


def _plain(code: str, message: str, item: int | None, quote: Quote) -> str:
    n = (item or 0) + 1
    items = quote.request.items
    what = items[item].description if item is not None and item < len(items) else ""
    if code == "battery_section_ii":
        battery = items[item].battery if item is not None and item < len(items) else None
        un = battery.un_number if battery else ""
        return _(
            "Item %(n)s (%(what)s) holds a lithium battery (%(un)s): the parcel must carry the lithium battery mark."
        ) % {"n": n, "what": what, "un": un}
    if code == "excise_goods":
        return _(
            "Item %(n)s (%(what)s) is subject to excise duty: it needs a full H1 declaration and cannot use IOSS."
        ) % {"n": n, "what": what}
    if code.startswith("restricted_"):
        return _(
            "Item %(n)s (%(what)s) may be restricted goods: customs will hold the parcel for review."
        ) % {"n": n, "what": what}
    return _(message)


def customs_warnings(request: Request, quote: Quote) -> list[str]:
    """The screening warnings (battery marks, excise, restricted goods) of the quote's goods."""
    on = quote.ready_at.date()
    transport = Decimal(0)
    if quote.options and quote.options[0].price.currency == quote.request.currency:
        transport = quote.options[0].price.transport
    try:
        assessment = assess_landed_cost(
            customs_uow(request), consignment_of(quote.request, transport, on)
        )
    except DomainError:
        return []  # the quote itself passed these checks; nothing more to say here
    return [_plain(w.code, w.message, w.item, quote) for w in assessment.warnings]

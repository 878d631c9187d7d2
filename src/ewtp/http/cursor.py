"""Keyset page cursors for the shipments list, shared by the API and the merchant pages.

A cursor is the (created_at, id) of the last row of a page, base64url without padding, so
the API's `next_cursor` and the web list's "next page" link are the same string and a page
link can be pasted into an API call. Each caller words its own refusal: the API speaks of a
cursor it returned, the page of a link the site made.
"""

from __future__ import annotations

import base64
from datetime import datetime

from ewtp.domain.errors import InvalidInput

__all__ = ["decode_cursor", "encode_cursor"]


def encode_cursor(after: tuple[datetime, str] | None) -> str | None:
    """The cursor of a page that ends at `after`; None when there is no next page."""
    if after is None:
        return None
    raw = f"{after[0].isoformat()}|{after[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, *, refusal: str) -> tuple[datetime, str] | None:
    """The (created_at, id) a cursor stands for; `refusal` is the message of a bad one."""
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, shipment_id = raw.split("|", 1)
        moment = datetime.fromisoformat(at)
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(refusal, field="cursor") from None
    if moment.tzinfo is None:
        raise InvalidInput(refusal, field="cursor")
    return moment, shipment_id

"""Reasons the domain gives in English that the pages show translated.

Listed here so `pybabel extract` (keyword `N_`) puts them in the catalogs; the pages
pass each `DomainError.message` through gettext, and a message not listed stays English.
"""

from __future__ import annotations

__all__ = ["MESSAGES"]


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark only"
    return message


MESSAGES = (
    N_("must not be empty"),
    N_("needs at least one address line"),
    N_("must be an ISO 3166 alpha-2 code"),
    N_("must be an e-mail address"),
    N_("must be positive"),
    N_("must be 6 to 10 digits"),
    N_("must be at least 1"),
    N_("must be an ISO 4217 code"),
    N_("must look like UN3481"),
    N_("must differ from the sender's country"),
    N_("must be IM followed by 10 digits"),
    N_("must be a number"),
    N_("must be a whole number"),
    N_("must be DDP or DAP"),
    N_("wrong e-mail address or password"),
    N_("must be an e-mail address such as anna@example.com"),
    N_("must be at least 10 characters"),
    N_("a user with this e-mail address already exists"),
    N_("this invitation link is unknown, used or expired"),
    N_("is not an IANA time zone such as Europe/Paris"),
    N_("must be a date such as 2026-12-01"),
    N_("is not a shipment status"),
    N_("the shipment is already cancelled"),
    N_("the form has expired or did not come from this site; reload the page and try again"),
)

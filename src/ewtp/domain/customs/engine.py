"""The scalar customs engine: check a consignment against the rule book, then assess it.

`assess` is pure: the caller (services/customs/landed_cost.py) fetches the ECB rates named by
`needed_currencies` and the buyer's stored CBEC usage, and passes them in. `assessor`
prepares one consignment for several transport costs (the options of one quote).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from decimal import Decimal

from ewtp.domain.customs.cbec import CNY, assess_cbec
from ewtp.domain.customs.eu import EUR, eu_basis
from ewtp.domain.customs.fx_rules import FxSources, customs_rates
from ewtp.domain.customs.identifiers import validate_identifier
from ewtp.domain.customs.model import Assessment, Consignment
from ewtp.domain.customs.money import EcbRate
from ewtp.domain.customs.rules import RuleBook, in_force
from ewtp.domain.customs.screening import screen
from ewtp.domain.errors import InvalidInput

__all__ = [
    "assess", "assessor", "check_consignment", "check_hs", "needed_currencies", "rates_for",
]  # fmt: skip

CHINA = "CN"


def needed_currencies(c: Consignment, book: RuleBook) -> set[str]:
    """The currencies whose ECB rate on `c.date` the assessment needs."""
    needed = {c.currency}
    if c.destination_country == CHINA:
        needed.add(CNY)
    else:
        needed.update(
            f.currency for f in in_force(book.fees, c.date) if f.country == c.destination_country
        )
    needed.discard(EUR)
    return needed


def rates_for(c: Consignment, book: RuleBook, sources: FxSources) -> dict[str, EcbRate]:
    """The rates customs applies to `c` (the rules of `fx_rules.py`), by currency."""
    return customs_rates(
        c.destination_country, c.date, needed_currencies(c, book), sources,
        consignment_currency=c.currency,
    )  # fmt: skip


def check_hs(code: str, book: RuleBook, destination: str, field: str) -> None:
    """An HS 2022 subheading (not a "not specified" code); into China, the 8-digit line."""
    if book.hs6 and code[:6] not in book.hs6:
        raise InvalidInput(
            f"{code[:6]} is not an HS 2022 subheading (chapter 99 'not specified' codes such "
            "as 999999 are not accepted); search the nomenclature with GET /v1/hs?q=",
            field=field,
        )
    if destination == CHINA and len(code) < 8:
        raise InvalidInput(
            f"China needs the 8-digit line of its tariff, not {code!r} (e.g. 61091000 for "
            "cotton T-shirts); the CBEC positive list is kept at 8 digits",
            field=field,
        )


def check_consignment(c: Consignment, book: RuleBook) -> None:
    """Reject what no rule can assess, naming the field (nothing is assessed or written)."""
    for value, field in [
        (c.origin_country, "origin_country"),
        (c.destination_country, "destination_country"),
        (c.import_country, "import_country"),
        *[(item.origin_country, f"items[{i}].origin_country") for i, item in enumerate(c.items)],
    ]:
        if value is not None and value not in book.countries:
            raise InvalidInput(f"{value!r} is not a known ISO 3166 country", field=field)
    dest = c.destination_country
    if dest != CHINA and dest not in book.eu_members:
        raise InvalidInput(
            f"no import rules for {dest}: destinations are EU member states and CN",
            field="destination_country",
        )
    if dest in book.eu_members and c.origin_country in book.eu_members:
        raise InvalidInput("goods moving within the EU are not imports", field="origin_country")
    if dest == CHINA and c.origin_country == CHINA:
        raise InvalidInput("goods shipped within China are not imports", field="origin_country")
    if (
        c.import_country is not None
        and dest in book.eu_members
        and (c.import_country not in book.eu_members)
    ):
        raise InvalidInput(f"{c.import_country} is not an EU member state", field="import_country")
    if dest == CHINA and c.scheme in ("ioss", "special_arrangements"):
        raise InvalidInput(f"{c.scheme} applies only to EU destinations", field="scheme")
    if c.seller_ioss is not None:
        check = validate_identifier("ioss", c.seller_ioss)
        if not check.valid:
            raise InvalidInput(f"invalid IOSS number: {check.reason}", field="seller_ioss")
    for i, item in enumerate(c.items):
        check_hs(item.hs_code, book, dest, f"items[{i}].hs_code")
        if item.battery is not None and book.battery_rule(item.battery.un_number, c.date) is None:
            raise InvalidInput(
                f"{item.battery.un_number!r} is not a lithium battery UN number "
                "(UN3480, UN3481, UN3090 or UN3091)",
                field=f"items[{i}].battery.un_number",
            )


def assess(
    c: Consignment,
    book: RuleBook,
    rates: Mapping[str, EcbRate],
    *,
    stored_annual_used: Decimal = Decimal(0),
) -> Assessment:
    """Assess one consignment with the rules in force on its date."""
    return assessor(c, book, rates, stored_annual_used=stored_annual_used)(c.transport_cost)


def assessor(
    c: Consignment,
    book: RuleBook,
    rates: Mapping[str, EcbRate],
    *,
    stored_annual_used: Decimal = Decimal(0),
) -> Callable[[Decimal], Assessment]:
    """`assess` of `c` as a function of its transport cost, for the options of one quote.

    The checks, the screening and (into the EU) everything but the transport-dependent
    sums are done once, here; each call gives what `assess` gives for `c` with that
    transport cost.
    """
    check_consignment(c, book)
    for currency in needed_currencies(c, book):
        if currency not in rates:
            raise InvalidInput(f"no ECB rate for {currency} on {c.date}", field="currency")
    all_rates = {EUR: EcbRate(EUR, Decimal(1), c.date), **rates}
    screening = screen(c, book)
    if c.destination_country == CHINA:

        def cbec(transport: Decimal) -> Assessment:
            at_price = c if transport is c.transport_cost else replace(c, transport_cost=transport)
            return assess_cbec(at_price, book, all_rates, screening, stored_annual_used)

        return cbec
    basis = eu_basis(c, book, all_rates, screening)
    insurance = c.insurance_cost
    return lambda transport: basis.assess(transport + insurance)

"""Screening of each item before air carriage and import.

- Lithium batteries (IATA DGR, Section II of PI 966/967 and 969/970): batteries shipped
  alone (UN3480, UN3090) are refused; batteries in or with equipment (UN3481, UN3091) are
  allowed up to 100 Wh per Li-ion battery and 1 g of lithium per Li-metal battery (the
  per-cell limit, applied to the battery since cells are not modelled). Over that: refused.
- Excise goods (alcohol, tobacco): a warning; they need H1 and exclude IOSS and the
  special arrangements.
- Restricted goods (CITES, weapons, counterfeit indicators) by HS prefix or keyword:
  a warning that holds the parcel for review; they need H1 and exclude the special
  arrangements.
Refusals are errors, flags are warnings, each with the item index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ewtp.domain.customs.model import Battery, Consignment, Problem
from ewtp.domain.customs.rules import RuleBook, in_force

__all__ = ["Screening", "screen"]


@dataclass
class Screening:
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    excise_items: set[int] = field(default_factory=set)
    restricted_items: set[int] = field(default_factory=set)


def screen(consignment: Consignment, book: RuleBook) -> Screening:
    """Screen every item of `consignment` against the rules in force on its date."""
    out = Screening()
    on = consignment.date
    restricted = in_force(book.restricted, on)
    for index, item in enumerate(consignment.items):
        if item.battery is not None:
            _battery(out, index, item.battery, book, on)
        special = book.special(item.hs_code, on)
        if special is not None and special.excise:
            out.excise_items.add(index)
            out.warnings.append(
                Problem(
                    "excise_goods",
                    f"{special.category} is subject to excise duty (not computed here): "
                    "H1 declaration, no IOSS or special arrangements",
                    item=index,
                )
            )
        text = item.description.lower()
        for term in restricted:
            hit = (
                item.hs_code.startswith(term.value)
                if term.match == "hs_prefix"
                else term.value.lower() in text
            )
            if hit:
                out.restricted_items.add(index)
                out.warnings.append(
                    Problem(
                        f"restricted_{term.kind}",
                        f"possible {term.kind} goods ({term.match} {term.value!r}): held for review",
                        item=index,
                    )
                )
                break
    return out


def _battery(out: Screening, index: int, battery: Battery, book: RuleBook, on: date) -> None:
    un = battery.un_number
    rule = book.battery_rule(un, on)
    if rule is None:  # parse_consignment rejects unknown UN numbers first
        return
    if not rule.allowed:
        out.errors.append(
            Problem(
                "battery_refused",
                f"{un} ({rule.packing_instruction}): lithium batteries shipped alone are refused",
                item=index,
            )
        )
        return
    if rule.max_watt_hours is not None and (
        battery.watt_hours is None or battery.watt_hours > rule.max_watt_hours
    ):
        out.errors.append(
            Problem(
                "battery_over_limit",
                f"{un}: Li-ion battery of {battery.watt_hours} Wh exceeds the Section II "
                f"limit of {rule.max_watt_hours} Wh"
                if battery.watt_hours is not None
                else f"{un}: watt_hours is required to check the Section II limit",
                item=index,
            )
        )
        return
    if rule.max_lithium_grams is not None and (
        battery.lithium_grams is None or battery.lithium_grams > rule.max_lithium_grams
    ):
        out.errors.append(
            Problem(
                "battery_over_limit",
                f"{un}: {battery.lithium_grams} g of lithium exceeds the Section II limit "
                f"of {rule.max_lithium_grams} g"
                if battery.lithium_grams is not None
                else f"{un}: lithium_grams is required to check the Section II limit",
                item=index,
            )
        )
        return
    out.warnings.append(
        Problem(
            "battery_section_ii",
            f"{un} {rule.packing_instruction} Section II: lithium battery mark required",
            item=index,
        )
    )

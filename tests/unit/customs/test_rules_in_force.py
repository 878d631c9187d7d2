"""The rules in force on a day, as `ewtp customs rules` and GET /v1/customs/rules list them."""

from __future__ import annotations

from datetime import date

from ewtp.adapters.customs.fx import national_currencies
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.services.customs.rules_in_force import rules_in_force

BOOK = load_rule_book()


def _fees(on: str, country: str) -> list[tuple[str, bool]]:
    rows = rules_in_force(BOOK, date.fromisoformat(on), country, national_currencies())
    return [(r.rule, r.confirmed) for r in rows if r.kind == "fee"]


def test_france_has_the_tpc_until_the_eu_handling_fee_takes_over() -> None:
    # Loi de finances 2026 art. 82: EUR 2 per article from 2026-03-01, until the EU fee.
    assert _fees("2026-02-28", "FR") == []
    assert _fees("2026-06-01", "FR") == [("2 EUR per line (consignments <= EUR 150)", True)]
    assert _fees("2026-12-01", "FR") == [("2 EUR per line (consignments <= EUR 150)", False)]


def test_every_row_listed_has_a_source_and_unconfirmed_rows_say_so() -> None:
    rows = rules_in_force(BOOK, date(2026, 12, 1), None, national_currencies())
    assert all(r.source.strip() for r in rows)
    assert {r.country for r in rows} == BOOK.eu_members | {"CN"}
    assert all(r.confirmed == (not r.source.startswith("(unconfirmed)")) for r in rows)
    romania = [r.rule for r in rows if r.country == "RO" and r.kind == "fee"]
    assert "25 RON per parcel (consignments <= EUR 150)" in romania
    belgium = [r.rule for r in rows if r.country == "BE" and r.kind == "fee"]
    assert belgium == ["2 EUR per line (consignments <= EUR 150)"]  # the EU fee only

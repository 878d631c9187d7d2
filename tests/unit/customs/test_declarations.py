"""H7/H1 and PLACI records, checked field by field (Reg. 2015/2446 Annex B as amended by 2021/234)."""

from __future__ import annotations

from typing import Any

import pytest

from ewtp.domain.customs import parse_consignment
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.declarations import build_declarations, parse_parties
from ewtp.services.customs.landed_cost import assess_landed_cost
from unit.customs.fakes import FakeCustomsUnitOfWork, consignment_json, item


def parties(**overrides: Any) -> dict[str, Any]:
    address = {"street": "1 Main St", "city": "Liege", "postcode": "4000", "country": "BE"}
    base: dict[str, Any] = {
        "declarant": {"name": "Cainiao Liege", "eori": "BE0123456789", "address": address},
        "consignor": {"name": "Shop Co", "address": {**address, "country": "CN"}},
        "consignee": {"name": "Jan Peeters", "address": address},
        "house_awb": "HAWB-1", "lrn": "LRN-1",
    }  # fmt: skip
    base.update(overrides)
    return base


def declare(data: dict[str, Any], party_data: dict[str, Any]) -> dict[str, Any]:
    consignment = parse_consignment(data)
    assessment = assess_landed_cost(FakeCustomsUnitOfWork(), consignment)
    return build_declarations(consignment, parse_parties(party_data), assessment).to_json()


def test_ioss_lvc_gets_an_h7_with_the_ioss_number_in_de_13_16() -> None:
    out = declare(consignment_json(seller_ioss="IM0560000001"), parties())
    assert (out["declaration_type"], out["valid"]) == ("H7", True)
    record = out["declaration"]
    assert record["13 16 additional_fiscal_references"] == [
        {"role": "FR5", "vat_id": "IM0560000001"}
    ]
    assert record["items"][0]["11 10 additional_procedure"] == ["C07", "F48"]
    assert record["items"][0]["18 09 commodity_code"] == "610910"
    assert out["placi"]["total_gross_weight_kg"] == "0.2"
    assert out["placi"]["house_awb"] == "HAWB-1"


def test_above_150_needs_h1_with_the_reason_and_eight_digit_codes() -> None:
    out = declare(consignment_json(items=[item(quantity=20)]), parties())
    assert out["declaration_type"] == "H1"
    assert "above EUR 150" in out["reasons"][0]
    assert [e["field"] for e in out["errors"]] == ["items[0].hs_code"]


def test_each_bad_field_is_reported() -> None:
    bad = parties(
        lrn="LRN 1 with spaces",
        declarant={"name": "X", "eori": "??", "address": parties()["declarant"]["address"]},
    )
    out = declare(consignment_json(items=[item(description="gift")]), bad)
    assert not out["valid"]
    assert {e["field"] for e in out["errors"]} == {
        "parties.lrn",
        "parties.declarant.eori",
        "items[0].description",
    }


def test_missing_party_data_is_a_clear_input_error() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_parties(parties(consignee={"name": "A"}))
    assert caught.value.field == "parties.consignee.address"


def test_china_destinations_get_no_eu_declaration() -> None:
    data = consignment_json(destination_country="CN", origin_country="FR", currency="CNY",
                            items=[item(hs_code="61091000", origin_country="FR")])  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        declare(data, parties())
    assert caught.value.field == "destination_country"

"""The H7 (or H1) customs declaration record and the ICS2 PLACI "7+1" pre-loading record.

Data elements follow Commission Delegated Reg. (EU) 2015/2446 Annex B as replaced by
Delegated Reg. (EU) 2021/234, column H7 (the super-reduced data set for consignments of
EUR 150 or less; Art. 143a), and the ICS2 air pre-loading data set (Impl. Reg. (EU)
2015/2447 Annex; "7+1": consignor and consignee names and addresses, number of pieces,
total gross weight, cargo description, plus the house air waybill). DE numbers are
those of the 2021/234 annex; see also the AEAT low-value manual, section 2.2.1.
H1 is the full data set: we give the H7 elements it shares and say why H1 is needed.
Additional procedure codes: C07 (LVC duty relief), F48 (IOSS), F49 (special arrangements).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ewtp.domain.customs.identifiers import validate_identifier
from ewtp.domain.customs.model import Assessment, Consignment, Problem
from ewtp.domain.customs.money import money_str

__all__ = ["Address", "Declarations", "Parties", "Party", "make_declarations"]

GENERIC = {"gift", "gifts", "goods", "parts", "accessories", "sample", "samples", "stuff", "items"}
LRN = re.compile(r"^[A-Za-z0-9-]{1,22}$")
HAWB = re.compile(r"^[A-Za-z0-9-]{1,35}$")
ADDITIONAL = {"ioss": "F48", "special_arrangements": "F49"}


@dataclass(frozen=True)
class Address:
    street: str
    city: str
    postcode: str
    country: str

    def to_json(self) -> dict[str, str]:
        return {"street": self.street, "city": self.city, "postcode": self.postcode,
                "country": self.country}  # fmt: skip


@dataclass(frozen=True)
class Party:
    name: str
    address: Address
    eori: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "address": self.address.to_json(), "eori": self.eori}


@dataclass(frozen=True)
class Parties:
    declarant: Party
    consignor: Party
    consignee: Party
    house_awb: str
    lrn: str


@dataclass(frozen=True)
class Declarations:
    declaration_type: str
    reasons: tuple[str, ...]
    declaration: dict[str, Any]
    placi: dict[str, Any]
    errors: tuple[Problem, ...]

    @property
    def valid(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "declaration_type": self.declaration_type,
            "reasons": list(self.reasons),
            "declaration": self.declaration,
            "placi": self.placi,
            "valid": self.valid,
            "errors": [e.error_json() for e in self.errors],
            "data_elements_source": "Delegated Reg. (EU) 2015/2446 Annex B, column H7, as "
            "replaced by Delegated Reg. (EU) 2021/234; ICS2 PLACI 7+1 (Impl. Reg. 2015/2447)",
        }


def _check_party(party: Party, path: str, errors: list[Problem], *, eori: bool) -> None:
    if not party.name.strip() or len(party.name) > 70:
        errors.append(
            Problem("invalid", "name is required (at most 70 characters)", field=f"{path}.name")
        )
    for key in ("street", "city", "postcode", "country"):
        value = getattr(party.address, key)
        if not str(value).strip():
            errors.append(Problem("invalid", "is required", field=f"{path}.address.{key}"))
    if len(party.address.country) != 2 or not party.address.country.isalpha():
        errors.append(
            Problem("invalid", "must be an ISO alpha-2 code", field=f"{path}.address.country")
        )
    if eori and (party.eori is None or not validate_identifier("eori", party.eori).valid):
        errors.append(Problem("invalid", "a valid EORI is required", field=f"{path}.eori"))


def _description_ok(text: str) -> bool:
    words = text.strip().lower()
    return len(words) >= 3 and words not in GENERIC


def make_declarations(c: Consignment, parties: Parties, a: Assessment) -> Declarations:
    """Both records, with every field checked; problems are listed, never raised."""
    errors: list[Problem] = []
    h7 = a.declaration_type == "H7"
    if not LRN.match(parties.lrn):
        errors.append(
            Problem("invalid", "LRN is 1 to 22 letters, digits or '-'", field="parties.lrn")
        )
    if not HAWB.match(parties.house_awb):
        errors.append(
            Problem(
                "invalid", "house AWB is 1 to 35 letters, digits or '-'", field="parties.house_awb"
            )
        )
    _check_party(parties.declarant, "parties.declarant", errors, eori=True)
    _check_party(parties.consignor, "parties.consignor", errors, eori=False)
    _check_party(parties.consignee, "parties.consignee", errors, eori=False)
    additional = []
    if h7 and a.duty == 0 and a.scheme != "cbec":
        additional.append("C07")
    if a.scheme in ADDITIONAL:
        additional.append(ADDITIONAL[a.scheme])
    if a.scheme == "ioss" and not c.seller_ioss:
        errors.append(Problem("invalid", "IOSS number required in DE 13 16", field="seller_ioss"))
    items = []
    for i, item in enumerate(c.items):
        code = item.hs_code[:6] if h7 else item.hs_code
        if not h7 and len(item.hs_code) < 8:
            errors.append(
                Problem("invalid", "H1 needs the 8-digit CN code", field=f"items[{i}].hs_code")
            )
        if not _description_ok(item.description):
            errors.append(Problem("invalid", "goods description must be precise (not 'gift', 'parts'...)",
                                  field=f"items[{i}].description"))  # fmt: skip
        items.append(
            {
                "18 05 description_of_goods": item.description,
                "18 09 commodity_code": code,
                "18 04 gross_mass_kg": str(item.weight_kg),
                "14 15 intrinsic_value": {"amount": str(item.value), "currency": c.currency},
                "16 08 country_of_origin": item.origin_country,
                "11 10 additional_procedure": additional,
            }
        )
    declaration = {
        "type": a.declaration_type,
        "12 09 lrn": parties.lrn,
        "11 09 procedure": {"requested": "40", "previous": "00"},
        "13 05 declarant": parties.declarant.to_json(),
        "13 02 consignor": parties.consignor.to_json(),
        "13 03 consignee": parties.consignee.to_json(),
        "13 16 additional_fiscal_references": [{"role": "FR5", "vat_id": c.seller_ioss}]
        if a.scheme == "ioss"
        else [],
        "12 05 transport_document": {"type": "N741", "reference": parties.house_awb},
        "14 16 transport_and_insurance_costs": {
            "amount": str(c.transport_cost + c.insurance_cost), "currency": c.currency},
        "16 03 country_of_destination": c.destination_country,
        "duties_and_taxes": {"currency": a.currency, "duty": money_str(a.duty),
                             "vat": money_str(a.vat), "scheme": a.scheme},
        "items": items,
    }  # fmt: skip
    description = "; ".join(item.description for item in c.items)
    placi = {
        "consignor_name": parties.consignor.name,
        "consignor_address": parties.consignor.address.to_json(),
        "consignee_name": parties.consignee.name,
        "consignee_address": parties.consignee.address.to_json(),
        "number_of_pieces": 1,
        "total_gross_weight_kg": str(sum(i.weight_kg for i in c.items)),
        "cargo_description": description,
        "house_awb": parties.house_awb,
        "commodity_codes": sorted({i.hs_code[:6] for i in c.items}),
    }
    if sum(i.weight_kg for i in c.items) <= 0:
        errors.append(Problem("invalid", "total gross weight must be positive", field="items"))
    return Declarations(
        a.declaration_type, a.declaration_reasons, declaration, placi, tuple(errors)
    )

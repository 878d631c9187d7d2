"""Use case: build the H7/H1 and ICS2 PLACI records for a consignment and its parties."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ewtp.domain.customs import Assessment, Consignment
from ewtp.domain.customs.declarations import (
    Address,
    Declarations,
    Parties,
    Party,
    make_declarations,
)
from ewtp.domain.errors import InvalidInput

__all__ = ["build_declarations", "parse_parties"]


def _text(data: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput("is required", field=f"{path}.{key}")
        return None
    if not isinstance(value, str):
        raise InvalidInput("must be a string", field=f"{path}.{key}")
    return value.strip()


def _party(data: Any, path: str) -> Party:
    if not isinstance(data, Mapping):
        raise InvalidInput("must be an object", field=path)
    address = data.get("address")
    if not isinstance(address, Mapping):
        raise InvalidInput("must be an object", field=f"{path}.address")
    where = f"{path}.address"
    return Party(
        name=_text(data, "name", path) or "",
        address=Address(
            street=_text(address, "street", where) or "",
            city=_text(address, "city", where) or "",
            postcode=_text(address, "postcode", where) or "",
            country=(_text(address, "country", where) or "").upper(),
        ),
        eori=_text(data, "eori", path, required=False),
    )


def parse_parties(data: Any) -> Parties:
    """Parties from JSON: declarant, consignor, consignee, house_awb and lrn."""
    if not isinstance(data, Mapping):
        raise InvalidInput("must be an object", field="parties")
    return Parties(
        declarant=_party(data.get("declarant"), "parties.declarant"),
        consignor=_party(data.get("consignor"), "parties.consignor"),
        consignee=_party(data.get("consignee"), "parties.consignee"),
        house_awb=_text(data, "house_awb", "parties") or "",
        lrn=_text(data, "lrn", "parties") or "",
    )


def build_declarations(
    consignment: Consignment, parties: Parties, assessment: Assessment
) -> Declarations:
    """The H7 record (or H1, with the reasons) and the PLACI record, validated field by field."""
    if assessment.currency != "EUR":
        raise InvalidInput("EU declarations only: the destination is not an EU member state",
                           field="destination_country")  # fmt: skip
    return make_declarations(consignment, parties, assessment)

"""Identifier checks: python-stdnum for VAT and IOSS, formats for EORI and HS codes."""

from __future__ import annotations

import pytest

from ewtp.domain.customs.identifiers import validate_identifier


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [
        ("ioss", "IM0560000001", True),  # 056 = Belgium (ISO 3166 numeric)
        ("ioss", "IM9990000001", False),  # 999 is not a member state
        ("ioss", "IM05600000", False),
        ("vat", "BE0411905847", True),  # check digits per stdnum.be.vat
        ("vat", "BE0411905848", False),
        ("vat", "EL094259216", True),  # Greece uses the EL prefix
        ("eori", "DE123456789012345", True),
        ("eori", "DE1234567890123456", False),  # 18 characters
        ("eori", "123456", False),
        ("hs", "6109.10", True),
        ("hs", "61091", False),
        ("hs", "61091000001", False),
    ],
)
def test_identifier_validity(kind: str, value: str, valid: bool) -> None:
    result = validate_identifier(kind, value)
    assert result.valid is valid
    assert (result.reason is None) is valid

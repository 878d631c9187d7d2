"""Identifier checks: EU VAT and IOSS numbers (python-stdnum), EORI and HS code formats.

- VAT: `stdnum.eu.vat` (Greece uses the prefix EL).
- IOSS: `stdnum.eu.oss` ("IM" + 3-digit ISO 3166 numeric member-state code + 7 digits;
  no public check digit).
- EORI: ISO country code + up to 15 alphanumerics (17 in all); python-stdnum has no EORI
  module, so only the format is checked (Reg. (EU) 2015/2447 Annex 12-01 format an..17).
- HS / CN / TARIC code: 6 to 10 digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum.eu import oss, vat
from stdnum.exceptions import ValidationError

__all__ = ["KINDS", "Validation", "is_valid_hs", "validate_identifier"]

KINDS = ("vat", "ioss", "eori", "hs")
_EORI = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,15}$")
_HS = re.compile(r"^\d{6,10}$")


@dataclass(frozen=True, slots=True)
class Validation:
    kind: str
    value: str
    valid: bool
    normalized: str | None
    reason: str | None


def is_valid_hs(code: str) -> bool:
    return bool(_HS.match(code))


def validate_identifier(kind: str, value: str, hs6: frozenset[str] = frozenset()) -> Validation:
    """Check `value` as an identifier of `kind` (vat, ioss, eori or hs); an HS code also
    against the HS 2022 subheadings `hs6` when given."""
    raw = value.strip()
    if kind == "vat":
        return _stdnum(kind, raw, vat)
    if kind == "ioss":
        return _stdnum(kind, raw, oss)
    if kind == "eori":
        compact = raw.replace(" ", "").upper()
        if _EORI.match(compact):
            return Validation(kind, raw, True, compact, None)
        return Validation(
            kind, raw, False, None, "EORI is 2 letters + 1 to 15 letters or digits (17 in all)"
        )
    if kind == "hs":
        compact = raw.replace(".", "").replace(" ", "")
        if not is_valid_hs(compact):
            return Validation(kind, raw, False, None, "an HS code has 6 to 10 digits")
        if hs6 and compact[:6] not in hs6:
            return Validation(
                kind, raw, False, None,
                f"{compact[:6]} is not an HS 2022 subheading ('not specified' codes such as "
                "999999 are not accepted)",
            )  # fmt: skip
        return Validation(kind, raw, True, compact, None)
    raise ValueError(f"unknown identifier kind {kind!r}; use one of {', '.join(KINDS)}")


def _stdnum(kind: str, raw: str, module: object) -> Validation:
    try:
        normalized = module.validate(raw)  # type: ignore[attr-defined]
    except ValidationError as exc:
        return Validation(kind, raw, False, None, str(exc))
    return Validation(kind, raw, True, str(normalized), None)

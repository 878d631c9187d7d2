"""UPU S10 item identifiers: 2 service letters, 8-digit serial, check digit, ISO country.

Check digit (UPU S10 standard, §5): weight the serial digits 8 6 4 2 3 5 9 7, sum,
take 11 - (sum mod 11); a result of 10 becomes 0 and 11 becomes 5.
For example serial 47312482 weighs to 200, 200 mod 11 = 2, so the number is RR473124829GB.
"""

from __future__ import annotations

import re

from ewtp.domain.errors import InvalidInput

__all__ = [
    "DIGIT_BY_REMAINDER",
    "S10_PATTERN",
    "WEIGHTS",
    "check_digit",
    "is_valid_s10",
    "make_s10",
    "validate_s10",
]

S10_PATTERN = re.compile(r"^[A-Z]{2}\d{9}[A-Z]{2}$")
WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
# The check digit by (weighted sum mod 11): 11 - r, where 10 becomes 0 and 11 becomes 5.
DIGIT_BY_REMAINDER = (5, 0, 9, 8, 7, 6, 5, 4, 3, 2, 1)


def check_digit(serial: str) -> int:
    """The S10 check digit of an 8-digit serial number (the one implementation; the
    polars validator applies the same `WEIGHTS` and `DIGIT_BY_REMAINDER` to columns)."""
    if len(serial) != 8 or not serial.isascii() or not serial.isdigit():
        raise InvalidInput("the serial must be exactly 8 digits", field="serial")
    total = sum(w * (ord(d) - 48) for w, d in zip(WEIGHTS, serial, strict=True))
    return DIGIT_BY_REMAINDER[total % 11]


def make_s10(service: str, serial: int, country: str) -> str:
    """Build a tracking number, e.g. make_s10("LP", 1234567, "CN")."""
    if not re.fullmatch(r"[A-Z]{2}", service):
        raise InvalidInput("must be two capital letters", field="service_indicator")
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise InvalidInput("must be an ISO 3166 alpha-2 code", field="country")
    if not 0 <= serial <= 99_999_999:
        raise InvalidInput("must be between 0 and 99999999", field="serial")
    digits = f"{serial:08d}"
    return f"{service}{digits}{check_digit(digits)}{country}"


def is_valid_s10(value: str) -> bool:
    """True when the format and the check digit are both right."""
    if not S10_PATTERN.match(value):
        return False
    return check_digit(value[2:10]) == int(value[10])


def validate_s10(value: str, field: str = "tracking_number") -> str:
    """Return the normalized number or raise InvalidInput naming the problem."""
    normalized = value.strip().upper().replace(" ", "")
    if not S10_PATTERN.match(normalized):
        raise InvalidInput(
            "must be an S10 number: 2 letters, 9 digits, 2 letters (e.g. LP123456785CN)",
            field=field,
        )
    expected = check_digit(normalized[2:10])
    if expected != int(normalized[10]):
        raise InvalidInput(f"wrong S10 check digit (expected {expected})", field=field)
    return normalized

"""Customs and landed cost: EU and China CBEC rules, screening, identifiers, declarations.

The public names below are a cross-capability contract (the merchant platform uses them);
keep them stable.
"""

from __future__ import annotations

from ewtp.domain.customs.engine import assess, check_consignment, needed_currencies
from ewtp.domain.customs.model import (
    SCHEMES,
    Assessment,
    Battery,
    Consignment,
    Item,
    LineAssessment,
    Problem,
)
from ewtp.domain.customs.money import EcbRate
from ewtp.domain.customs.parse import parse_consignment
from ewtp.domain.customs.rules import RuleBook

__all__ = [
    "SCHEMES",
    "Assessment",
    "Battery",
    "Consignment",
    "EcbRate",
    "Item",
    "LineAssessment",
    "Problem",
    "RuleBook",
    "assess",
    "check_consignment",
    "needed_currencies",
    "parse_consignment",
]

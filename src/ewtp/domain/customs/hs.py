"""The HS 2022 nomenclature as data: which 6-digit subheadings exist, and their texts.

Codes are digits only; `normalize_hs` accepts the usual written forms (`6109.10`,
`6109 10`). A subheading is valid when HS 2022 has it and it is not a "not specified"
code (chapter 99, e.g. 999999, "commodities not specified according to kind"). China
needs the 8-digit line of its tariff (the CBEC positive list is kept at 8 digits).
The entries come from a maintained package (`adapters/customs/hs_nomenclature.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["HsEntry", "HsNomenclature", "normalize_hs"]

_SEPARATORS = re.compile(r"[.\s]")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def normalize_hs(text: str) -> str:
    """`6109.10`, `6109 10` and `610910` all give `610910` (digits are not checked here)."""
    return _SEPARATORS.sub("", text.strip())


@dataclass(frozen=True, slots=True)
class HsEntry:
    code: str  # 2, 4 or 6 digits
    description: str


@dataclass(frozen=True)
class HsNomenclature:
    """Chapters, headings and subheadings of one HS edition."""

    edition: str
    entries: tuple[HsEntry, ...]
    _by_code: dict[str, HsEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {e.code: e for e in self.entries})

    def get(self, code: str) -> HsEntry | None:
        return self._by_code.get(code)

    @property
    def subheadings(self) -> frozenset[str]:
        """Every valid HS6 code ("not specified" codes left out)."""
        return frozenset(
            e.code for e in self.entries if len(e.code) == 6 and not e.code.startswith("99")
        )

    def search(self, query: str, limit: int = 20) -> list[HsEntry]:
        """Subheadings and headings whose code starts with `query`, or whose description
        has every word of it (case-insensitive, word prefixes), HS6 first, in code order."""
        q = normalize_hs(query)
        if q.isdigit():
            hits: Iterable[HsEntry] = (e for e in self.entries if e.code.startswith(q))
        else:
            words = [w.lower() for w in _WORD.findall(query)]
            if not words:
                return []

            def matches(entry: HsEntry) -> bool:
                text = [w.lower() for w in _WORD.findall(entry.description)]
                return all(any(t.startswith(w) for t in text) for w in words)

            hits = (e for e in self.entries if matches(e))
        valid = (e for e in hits if not e.code.startswith("99"))
        return sorted(valid, key=lambda e: (-len(e.code), e.code))[:limit]

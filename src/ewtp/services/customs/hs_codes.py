"""Use case: search the HS nomenclature by words or code prefix (the web HS picker, the API)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ewtp.domain.customs.hs import HsNomenclature
from ewtp.domain.errors import InvalidInput

__all__ = ["HsMatch", "search_hs_codes"]

MAX_LIMIT = 100


@dataclass(frozen=True)
class HsMatch:
    code: str
    level: int  # 2 chapter, 4 heading, 6 subheading
    description: str

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "level": self.level, "description": self.description}


def search_hs_codes(nomenclature: HsNomenclature, query: str, limit: int = 20) -> list[HsMatch]:
    """Entries whose description has every word of `query` (or whose code starts with it),
    subheadings first."""
    text = query.strip()
    if len(text) < 2:
        raise InvalidInput("give at least 2 characters", field="q")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"must be between 1 and {MAX_LIMIT}", field="limit")
    return [HsMatch(e.code, len(e.code), e.description) for e in nomenclature.search(text, limit)]

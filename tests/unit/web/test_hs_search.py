"""The HS picker's search (the customs use case behind GET /v1/hs and the web page)."""

from __future__ import annotations

import pytest

from ewtp.adapters.customs.hs_nomenclature import hs2022
from ewtp.domain.customs.hs import HsEntry, HsNomenclature
from ewtp.domain.errors import InvalidInput
from ewtp.services.customs.hs_codes import search_hs_codes

TINY = HsNomenclature(
    "test",
    (
        HsEntry("85", "Electrical machinery"),
        HsEntry("8507", "Electric accumulators"),
        HsEntry("850760", "Electric accumulators; lithium-ion"),
        HsEntry("850780", "Electric accumulators; other"),
        HsEntry("610910", "T-shirts, singlets; of cotton, knitted"),
    ),
)


def test_every_word_must_appear_and_subheadings_come_first() -> None:
    found = search_hs_codes(TINY, "Accumulators")
    assert [e.code for e in found] == ["850760", "850780", "8507"]
    assert [e.code for e in search_hs_codes(TINY, "lithium accumulators")] == ["850760"]


def test_digits_search_codes_by_prefix() -> None:
    assert [e.code for e in search_hs_codes(TINY, "8507")] == ["850760", "850780", "8507"]
    with pytest.raises(InvalidInput):
        search_hs_codes(TINY, "   ")


def test_the_real_nomenclature_finds_lithium_ion_accumulators() -> None:
    codes = {e.code: e.description for e in search_hs_codes(hs2022(), "lithium-ion")}
    assert "850760" in codes  # HS 2022 subheading 8507.60

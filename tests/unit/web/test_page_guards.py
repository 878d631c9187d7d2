"""Small guards of the pages: open redirects, script injection, spreadsheet formulas."""

from __future__ import annotations

import pytest

from ewtp.web.auth_pages import _safe_next
from ewtp.web.merchant.quotes import TARGET
from ewtp.web.merchant.shipment_list import _cell


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/app/shipments?status=booked", "/app/shipments?status=booked"),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("https://evil.example/", None),
        ("", None),
    ],
)
def test_sign_in_returns_only_to_a_path_of_this_site(given: str, kept: str | None) -> None:
    assert _safe_next(given) == kept


def test_the_hs_picker_target_must_be_an_element_id() -> None:
    assert TARGET.fullmatch("f-parcels-0-items-1-hs_code")
    assert not TARGET.fullmatch("x');alert(1);('")


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("ORDER-1", "ORDER-1"),
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("@x", "'@x"),
        ("", ""),
    ],
)
def test_csv_cells_never_start_a_formula(text: str, written: str) -> None:
    assert _cell(text) == written

"""Every CSV we write escapes formula starts as OWASP advises (CSV injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ewtp.adapters.polars.customs_manifest.files import spreadsheet_safe
from ewtp.cli.commands.tracking import write_rejections
from ewtp.cli.output import OutputFormat, emit
from ewtp.domain.csv_cells import safe_cell
from ewtp.services.merchant.import_shipments import template_csv

# OWASP CSV Injection: cells starting with these are run as formulas by spreadsheets.
ATTACKS = ["=HYPERLINK(\"http://x\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)",
           "\t=1", "\r=1"]  # fmt: skip


@pytest.mark.parametrize("attack", ATTACKS)
def test_each_owasp_formula_start_is_prefixed_with_a_quote(attack: str) -> None:
    assert safe_cell(attack) == "'" + attack


@given(st.text())
def test_escaped_text_never_starts_a_formula_and_loses_nothing(text: str) -> None:
    escaped = safe_cell(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert escaped in (text, "'" + text)


def test_numbers_stay_numbers() -> None:
    assert safe_cell(-3) == -3
    assert safe_cell("12.50") == "12.50"


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_cli_csv_output_escapes_text_but_not_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    emit([{"name": "=cmd()", "delta": -4, "note": "@x"}], OutputFormat.CSV)
    assert cells(capsys.readouterr().out)[1] == ["'=cmd()", "-4", "'@x"]


def test_the_ingest_error_file_escapes_its_text_cells(tmp_path: Path) -> None:
    target = tmp_path / "errors.csv"
    write_rejections(target, [(2, "=1+1", "code", "+invalid", "-unknown code @bad")])
    assert cells(target.read_text())[1] == [
        "2",
        "'=1+1",
        "code",
        "'+invalid",
        "'-unknown code @bad",
    ]


def test_manifest_result_text_columns_are_escaped() -> None:
    frame = pl.DataFrame({"consignment_id": ["=evil()", "C1"], "allowed": [False, True]})
    out = spreadsheet_safe(frame)
    assert out["consignment_id"].to_list() == ["'=evil()", "C1"]
    assert out["allowed"].to_list() == [False, True]


def test_the_bulk_template_has_no_formula_cell() -> None:
    for row in cells(template_csv()):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_a_manifest_result_csv_escapes_a_formula_consignment_id(tmp_path: Path) -> None:
    from ewtp.adapters.polars.customs_manifest.runner import PolarsManifestEngine
    from integration.customs.test_bulk_files import CTX, rows, write_csv

    data = rows(2)
    for row in data:
        row["consignment_id"] = '=HYPERLINK("http://evil")' + row["consignment_id"]
    write_csv(tmp_path / "in.csv", data)
    PolarsManifestEngine().run(tmp_path / "in.csv", tmp_path / "out.csv", CTX)
    ids = [r[0] for r in cells((tmp_path / "out.csv").read_text())[1:]]
    assert ids
    assert all(i.startswith("'=HYPERLINK") for i in ids)

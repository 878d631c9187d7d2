"""Bulk CSV rows: the template parses, bad rows name their CSV column, atomic creates none."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from ewtp.adapters.merchant.pricing_data import load_rate_card
from ewtp.domain.errors import InvalidInput
from ewtp.domain.merchant.csv_import import COLUMNS
from ewtp.services.merchant.import_shipments import (
    MAX_ROWS,
    BulkRejected,
    UploadTooLarge,
    import_shipments,
    template_csv,
)

from .fakes import FakeMerchantUnitOfWork

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def rows_csv(changes: list[dict[str, str]]) -> str:
    example = next(csv.DictReader(io.StringIO(template_csv())))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for change in changes:
        writer.writerow({**example, **change})
    return out.getvalue()


def test_the_template_itself_imports_as_one_shipment() -> None:
    uow = FakeMerchantUnitOfWork()
    result = import_shipments(uow, "acct", template_csv(), NOW)
    assert (len(result.shipments), result.errors) == (1, [])
    shipment = result.shipments[0]
    assert shipment.request.recipient.country == "FR"
    assert shipment.request.items[0].hs_code == "610910"
    assert uow.shipments.rows.keys() == {shipment.id}


def test_good_rows_are_created_and_bad_rows_reported_by_column() -> None:
    text = rows_csv(
        [
            {},
            {"recipient_country": "France"},
            {"hs_code": "12"},
            {"quantity": "two"},
            {"weight_kg": "-1"},
            {"incoterm": "EXW"},
            {"recipient_line1": ""},
            {"battery_un_number": "3481"},
            {"currency": "USD", "unit_value": "abc"},
            {},
        ]
    )
    uow = FakeMerchantUnitOfWork()
    result = import_shipments(uow, "acct", text, NOW)
    assert len(result.shipments) == 2
    # Rows are named by their line in the file: the header is line 1.
    assert [(e.row, e.field) for e in result.errors] == [
        (3, "recipient_country"),
        (4, "hs_code"),
        (5, "quantity"),
        (6, "weight_kg"),
        (7, "incoterm"),
        (8, "recipient_line1"),
        (9, "battery_un_number"),
        (10, "unit_value"),
    ]
    assert len(uow.shipments.rows) == 2


def test_atomic_mode_creates_nothing_when_one_row_is_bad() -> None:
    uow = FakeMerchantUnitOfWork()
    with pytest.raises(BulkRejected) as err:
        import_shipments(uow, "acct", rows_csv([{}, {"hs_code": "x"}]), NOW, atomic=True)
    assert [(e.row, e.field) for e in err.value.errors] == [(3, "hs_code")]
    assert uow.shipments.rows == {}
    assert uow.commits == 0


def test_a_missing_required_column_is_refused_before_any_row() -> None:
    text = template_csv().replace("hs_code", "hs")
    with pytest.raises(InvalidInput, match="missing required column"):
        import_shipments(FakeMerchantUnitOfWork(), "acct", text, NOW)


def test_more_than_50000_rows_is_too_large() -> None:
    header, row = template_csv().splitlines()
    text = "\n".join([header] + [row] * (MAX_ROWS + 1)) + "\n"
    with pytest.raises(UploadTooLarge, match="50000 rows"):
        import_shipments(FakeMerchantUnitOfWork(), "acct", text, NOW)


@pytest.mark.parametrize(
    "text",
    ["t\x81\x80\r\u4869\xc2\n", "a,b\n\x00,1\n", "", '"unclosed\n'],
)
def test_unreadable_files_are_refused_naming_the_file_not_crashing(text: str) -> None:
    uow = FakeMerchantUnitOfWork()
    with pytest.raises(InvalidInput) as err:
        import_shipments(uow, "acct", text, NOW)
    assert err.value.field == "file"
    assert uow.shipments.rows == {}


def test_a_semicolon_file_from_a_european_spreadsheet_is_read_by_sniffing() -> None:
    text = rows_csv([{}, {"hs_code": "12"}]).replace(",", ";")
    result = import_shipments(FakeMerchantUnitOfWork(), "acct", text, NOW)
    assert len(result.shipments) == 1
    assert [(e.row, e.field) for e in result.errors] == [(3, "hs_code")]


def test_a_header_without_any_separator_gets_a_hint() -> None:
    text = rows_csv([{}]).replace(",", " ")
    with pytest.raises(InvalidInput) as bad:
        import_shipments(FakeMerchantUnitOfWork(), "acct", text, NOW)
    assert bad.value.field == "file"
    assert "missing required column(s)" in bad.value.message
    assert "';'" in bad.value.message


def test_a_quoted_line_break_keeps_later_rows_on_their_file_lines() -> None:
    text = rows_csv([{"sender_line2": "Building 3\nFloor 2"}, {"hs_code": "12"}])
    result = import_shipments(FakeMerchantUnitOfWork(), "acct", text, NOW)
    # Row one spans lines 2-3 and is refused for its line break; the bad HS code is on line 4.
    assert [(e.row, e.field) for e in result.errors] == [(3, "sender_line2"), (4, "hs_code")]


def test_rows_are_held_to_the_quote_rules_at_upload() -> None:
    card = load_rate_card()
    text = rows_csv(
        [{"recipient_country": "XX"}, {"weight_kg": "5000"}, {"recipient_country": "fr"}]
    )
    result = import_shipments(FakeMerchantUnitOfWork(), "acct", text, NOW, card=card)
    assert [(e.row, e.field) for e in result.errors] == [
        (2, "recipient_country"),
        (3, "weight_kg"),
    ]
    assert "30 kg" in result.errors[1].message
    assert result.shipments[0].request.recipient.country == "FR"

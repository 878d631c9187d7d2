"""Use case: import shipments from a CSV file (the API upload and `ewtp shipments import`).

Good rows become draft shipments, bad rows are reported as {row, field, message}. With
`atomic`, one bad row means nothing is created.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ewtp.domain.csv_cells import safe_cell
from ewtp.domain.errors import DomainError, InvalidInput
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.csv_import import (
    COLUMNS,
    RowError,
    RowWarning,
    check_header,
    column_of,
    parse_row,
)
from ewtp.domain.merchant.pricing import RateCard
from ewtp.domain.merchant.quotes import Notice
from ewtp.domain.merchant.shipments import ShipmentRequest
from ewtp.services.merchant.ports import AbstractCustomsEngine, MerchantUnitOfWork
from ewtp.services.merchant.shipments import new_draft

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "BulkRejected",
    "BulkResult",
    "UploadTooLarge",
    "import_shipments",
    "template_csv",
]

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000


class UploadTooLarge(DomainError):
    """The file is over the size or row limit (HTTP 413)."""

    code = "payload_too_large"


class BulkRejected(InvalidInput):
    """Atomic import refused: at least one row is bad, so nothing was created."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(
            f"{len(errors)} row(s) are invalid; atomic import created nothing", field="file"
        )
        self.errors = errors


@dataclass(frozen=True, slots=True)
class BulkResult:
    shipments: list[Shipment]
    errors: list[RowError]
    warnings: list[RowWarning] = field(default_factory=list)


def template_csv() -> str:
    """The header line plus one example row."""
    example = {
        "reference": "ORDER-1001",
        "incoterm": "DDP",
        "sender_name": "Hangzhou Gadgets Co",
        "sender_line1": "88 Wensan Road",
        "sender_city": "Hangzhou",
        "sender_postal_code": "310000",
        "sender_country": "CN",
        "recipient_name": "Marie Dupont",
        "recipient_line1": "12 rue de Rivoli",
        "recipient_city": "Paris",
        "recipient_postal_code": "75001",
        "recipient_country": "FR",
        "recipient_email": "marie@example.com",
        "weight_kg": "0.8",
        "length_cm": "30",
        "width_cm": "20",
        "height_cm": "10",
        "item_description": "Cotton T-shirt",
        "hs_code": "610910",
        "quantity": "2",
        "unit_value": "12.50",
        "currency": "EUR",
        "item_origin_country": "CN",
    }
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow({k: safe_cell(v) for k, v in example.items()})
    return out.getvalue()


DELIMITERS = ",;\t|"


def sniff_delimiter(text: str) -> str | None:
    """The separator of the header line: the candidate it holds most of, or None.

    European spreadsheets save "CSV" with ';' (the comma is their decimal mark), and some
    tools export tabs; the header names hold none of these, so counting them is exact.
    """
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else None


@dataclass(frozen=True, slots=True)
class _Checks:
    """What quoting would refuse anyway (parcel limits, countries we do not deliver to,
    goods customs refuses), and the screening flags it would show."""

    card: RateCard | None
    customs: AbstractCustomsEngine | None

    def run(self, request: ShipmentRequest, now: datetime) -> tuple[Notice, ...]:
        on = (request.ready_at or now).date()
        if self.card is not None:
            self.card.check_parcels(request.parcels, on)
            self.card.zone_of(request.recipient.country, on)
        return self.customs.screen(request, on) if self.customs is not None else ()


def _parse(
    reader: csv.DictReader[str],
    account_id: str,
    now: datetime,
    total: int,
    progress: Callable[[int, int], None] | None,
    checks: _Checks,
    sniffed: bool,
    warnings: list[RowWarning],
) -> tuple[list[Shipment], list[RowError]]:
    if not reader.fieldnames:
        raise InvalidInput("the file is empty; start with the header line", field="file")
    try:
        check_header([name.strip() for name in reader.fieldnames])
    except InvalidInput as exc:
        if sniffed:
            raise
        raise InvalidInput(
            f"{exc.message}; the header line has no ',', ';' or tab between column names: "
            "save the sheet as CSV UTF-8 (comma- or semicolon-separated)",
            field="file",
        ) from None
    drafts: list[Shipment] = []
    errors: list[RowError] = []
    for row in reader:
        line = reader.line_num  # the file line the row ends on; the header is line 1
        if None in row:
            errors.append(RowError(line, "row", "has more cells than the header"))
            continue
        parsed = parse_row({k.strip(): v for k, v in row.items()}, line)
        if not isinstance(parsed, RowError):
            try:
                notices = checks.run(parsed, now)
            except InvalidInput as exc:
                parsed = RowError(line, column_of(exc.field or "row"), exc.message)
            else:
                warnings.extend(
                    RowWarning(line, n.code, n.message, column_of(n.field) if n.field else None)
                    for n in notices
                )
        if isinstance(parsed, RowError):
            errors.append(parsed)
        else:
            drafts.append(new_draft(account_id, parsed, now))
        if progress is not None and line % 500 == 0:
            progress(line - 1, total)
    return drafts, errors


def import_shipments(
    uow: MerchantUnitOfWork,
    account_id: str,
    text: str,
    now: datetime,
    *,
    atomic: bool = False,
    progress: Callable[[int, int], None] | None = None,
    card: RateCard | None = None,
    customs: AbstractCustomsEngine | None = None,
) -> BulkResult:
    """Create a draft per good row; report the bad ones (or create nothing, if atomic).

    With the rate card, rows are held to everything a quote checks (parcel limits,
    delivered countries), so a bad row fails here and not at booking.
    """
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise UploadTooLarge(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it", field="file"
        )
    lines = text.splitlines()
    if len(lines) - 1 > MAX_ROWS:
        raise UploadTooLarge(f"the file has more than {MAX_ROWS} rows; split it", field="file")
    delimiter = sniff_delimiter(text)
    warnings: list[RowWarning] = []
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter or ",")
    try:
        drafts, errors = _parse(
            reader, account_id, now, max(0, len(lines) - 1), progress,
            _Checks(card, customs), delimiter is not None, warnings,
        )  # fmt: skip
    except csv.Error as exc:
        raise InvalidInput(
            f"is not a readable CSV file (line {reader.line_num}: {exc})", field="file"
        ) from None
    total = max(0, len(lines) - 1)
    if progress is not None:
        progress(total, total)
    if atomic and errors:
        raise BulkRejected(errors)
    with uow:
        for draft in drafts:
            uow.shipments.add(draft)
        uow.commit()
    return BulkResult(drafts, errors, warnings)

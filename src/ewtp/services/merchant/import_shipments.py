"""Use case: import shipments from a CSV file (the API upload and `ewtp shipments import`).

Good rows become draft shipments, bad rows are reported as {row, field, message}. With
`atomic`, one bad row means nothing is created.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from ewtp.domain.csv_cells import safe_cell
from ewtp.domain.errors import DomainError, InvalidInput
from ewtp.domain.merchant.booking import Shipment
from ewtp.domain.merchant.csv_import import COLUMNS, RowError, check_header, parse_row
from ewtp.services.merchant.ports import MerchantUnitOfWork
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


def _parse(
    reader: csv.DictReader[str],
    account_id: str,
    now: datetime,
    total: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[Shipment], list[RowError]]:
    if not reader.fieldnames:
        raise InvalidInput("the file is empty; start with the header line", field="file")
    check_header([name.strip() for name in reader.fieldnames])
    drafts: list[Shipment] = []
    errors: list[RowError] = []
    for number, row in enumerate(reader, start=1):
        if None in row:
            errors.append(RowError(number, "row", "has more cells than the header"))
            continue
        parsed = parse_row({k.strip(): v for k, v in row.items()}, number)
        if isinstance(parsed, RowError):
            errors.append(parsed)
        else:
            drafts.append(new_draft(account_id, parsed, now))
        if progress is not None and number % 500 == 0:
            progress(number, total)
    return drafts, errors


def import_shipments(
    uow: MerchantUnitOfWork,
    account_id: str,
    text: str,
    now: datetime,
    *,
    atomic: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> BulkResult:
    """Create a draft per good row; report the bad ones (or create nothing, if atomic)."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise UploadTooLarge(
            f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB; split it", field="file"
        )
    lines = text.splitlines()
    if len(lines) - 1 > MAX_ROWS:
        raise UploadTooLarge(f"the file has more than {MAX_ROWS} rows; split it", field="file")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        drafts, errors = _parse(reader, account_id, now, max(0, len(lines) - 1), progress)
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
    return BulkResult(drafts, errors)

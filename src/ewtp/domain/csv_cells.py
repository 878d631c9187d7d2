"""CSV cells that a spreadsheet will not run as formulas (CSV / formula injection).

OWASP's advice (https://owasp.org/www-community/attacks/CSV_Injection): a text cell that
starts with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with a single
quote, so Excel, LibreOffice and Google Sheets show it as text. Every CSV the platform
writes for people (manifest results, ingest error files, CLI exports, templates) passes
its text cells through here; numbers are written as numbers and left alone.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_STARTS", "safe_cell", "safe_row"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` with a leading `'` when it is text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Any) -> list[Any]:
    """Each cell of a row through `safe_cell`."""
    return [safe_cell(v) for v in values]

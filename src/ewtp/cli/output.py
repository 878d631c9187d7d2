"""Render command results as JSON, CSV or a rich table (the default on a terminal)."""

from __future__ import annotations

import csv
import enum
import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from ewtp.domain.csv_cells import safe_cell, safe_row

__all__ = ["FormatOption", "OutputFormat", "emit", "err_console", "resolve_format"]

# soft_wrap: an error is one line on stderr whatever the terminal width, even in a pipe
# (rich would otherwise wrap at 80 columns), so scripts can read it line by line.
err_console = Console(stderr=True, soft_wrap=True)


class OutputFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    TABLE = "table"


FormatOption = typer.Option(
    None,
    "--format",
    "-f",
    help="Output format: json, csv or table (default: table on a terminal, else json).",
    case_sensitive=False,
)


def resolve_format(fmt: OutputFormat | None) -> OutputFormat:
    """The explicit format, or table on a terminal and JSON in a pipe."""
    if fmt is not None:
        return fmt
    return OutputFormat.TABLE if sys.stdout.isatty() else OutputFormat.JSON


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_cell(value: Any) -> str:
    """Text escaped against formula injection; numbers (a negative amount) stay numbers."""
    text = _cell(value)
    return str(safe_cell(text)) if isinstance(value, str) else text


def emit(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    fmt: OutputFormat | None,
    columns: Sequence[str] | None = None,
    *,
    title: str | None = None,
) -> None:
    """Print one record or a list of records in the chosen format.

    A reader that stops early (`ewtp ... | head -3`) is not a failure of the command: the
    rest of the output goes nowhere and the exit code stays 0, so such a pipe also works
    under `set -o pipefail` (click would otherwise exit 1, and Python print a traceback at
    exit when it flushes into the closed pipe)."""
    try:
        _write(data, resolve_format(fmt), columns, title)
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None


def _write(
    data: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    chosen: OutputFormat,
    columns: Sequence[str] | None,
    title: str | None,
) -> None:
    if chosen is OutputFormat.JSON:
        sys.stdout.write(json.dumps(data, default=str, indent=2) + "\n")
        return
    rows: list[Mapping[str, Any]] = [data] if isinstance(data, Mapping) else list(data)
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if chosen is OutputFormat.CSV:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(safe_row(cols))
        for row in rows:
            writer.writerow([_csv_cell(row.get(c)) for c in cols])
        return
    table = Table(title=title)
    for col in cols:
        table.add_column(col)
    for row in rows:
        table.add_row(*[_cell(row.get(c)) for c in cols])
    _TableConsole().print(table)


class _TableConsole(Console):
    """rich exits 1 on a closed pipe; `emit` decides instead, as for JSON and CSV."""

    def on_broken_pipe(self) -> None:
        raise BrokenPipeError

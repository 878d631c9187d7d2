"""`ewtp ... | head -3`: when the reader closes the pipe, the command ends with exit 0 and no
traceback, so the pipe also works under `set -o pipefail`."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import typer

from ewtp.cli.output import OutputFormat, emit


@contextmanager
def closed_stdout() -> Iterator[None]:
    """stdout is the write end of a pipe whose reader has already gone, as after `head`.

    Set inside the test body: pytest's capture puts its own sys.stdout back between a
    fixture's setup and the test call."""
    saved_fd, saved_stdout = os.dup(1), sys.stdout
    read_end, write_end = os.pipe()
    os.close(read_end)
    os.dup2(write_end, 1)
    os.close(write_end)
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False))
    try:
        yield
    finally:
        sys.stdout = saved_stdout
        os.dup2(saved_fd, 1)
        os.close(saved_fd)


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_a_reader_that_stops_early_is_not_a_failure(fmt: OutputFormat) -> None:
    rows = [{"hub": f"H{i:03}", "city": "Liège"} for i in range(100)]
    with closed_stdout():
        with pytest.raises(typer.Exit) as ended:
            emit(rows, fmt)
        os.write(1, b"more")  # stdout now goes to /dev/null: a later write cannot fail
    assert ended.value.exit_code == 0

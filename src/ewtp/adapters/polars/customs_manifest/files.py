"""Stream manifest files in batches that never split a consignment, and write results.

Input rows of one consignment must be contiguous (as a manifest export writes them): a
batch is cut after the last complete consignment and the rest is carried into the next
batch, so files larger than memory are assessed with bounded memory. A consignment whose
rows are not contiguous is not assessed (joining its parts would need the whole file in
memory or a sort): it gets one `non_contiguous_rows` refusal naming the problem, never two
partial results. CSV rows with the wrong number of fields are reported (by row number and
consignment id) and their whole consignment is refused once (`malformed_row`); the other
consignments are still assessed. Either way the output has exactly one row per consignment. Results are written
to a temporary file renamed into place at the end: nothing partial is left behind.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from ewtp.adapters.polars.customs_manifest.frame import result_schema
from ewtp.domain.csv_cells import FORMULA_STARTS
from ewtp.domain.customs.manifest import RESULT_COLUMNS
from ewtp.domain.errors import InvalidInput

__all__ = ["ManifestReader", "ResultWriter", "file_kind", "result_schema"]

DEFAULT_BLOCK_SIZE = 64 << 20  # bytes of CSV parsed at a time


def file_kind(path: Path, field: str) -> str:
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("csv", "parquet"):
        raise InvalidInput(f"{path.name}: use a .csv or .parquet file", field=field)
    return kind


class ManifestReader:
    """Batches of whole consignments from a CSV or Parquet manifest (all cells as text)."""

    def __init__(
        self, path: Path, batch_rows: int = 500_000, block_size: int | None = None
    ) -> None:
        if not path.is_file():
            raise InvalidInput(f"{path} does not exist", field="input")
        self.path, self.batch_rows = path, batch_rows
        self.block_size = block_size or DEFAULT_BLOCK_SIZE
        self.kind = file_kind(path, "input")
        self.malformed: list[tuple[int, str | None, str]] = []  # (row number, id, reason)
        self.total_rows: int | None = None
        self.rows_read = 0

    def _raw(self) -> Iterator[pl.DataFrame]:
        if self.kind == "parquet":
            parquet = pq.ParquetFile(self.path)
            self.total_rows = parquet.metadata.num_rows
            for batch in parquet.iter_batches(batch_size=self.batch_rows):
                frame = pl.from_arrow(pa.Table.from_batches([batch]))
                assert isinstance(frame, pl.DataFrame)
                yield frame.cast(pl.String)
            return
        with self.path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader([handle.readline()]), [])
        if "consignment_id" not in header:
            raise InvalidInput("the CSV header has no consignment_id column", field="input")
        id_pos = header.index("consignment_id")

        def on_invalid(row: Any) -> str:
            fields = next(csv.reader(io.StringIO(row.text or "")), [])
            cid = fields[id_pos] if len(fields) > id_pos else None
            reason = f"expected {row.expected_columns} fields, got {row.actual_columns}"
            self.malformed.append((row.number or 0, cid, reason))
            return "skip"

        reader = pacsv.open_csv(
            self.path,
            read_options=pacsv.ReadOptions(block_size=self.block_size),
            parse_options=pacsv.ParseOptions(invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
        )
        for batch in reader:
            frame = pl.from_arrow(pa.Table.from_batches([batch]))
            assert isinstance(frame, pl.DataFrame)
            yield frame

    def batches(self) -> Iterator[tuple[int, pl.DataFrame]]:
        """(row offset, frame) pairs; each frame holds only complete consignments."""
        carry: pl.DataFrame | None = None
        offset = 0
        for frame in self._raw():
            self.rows_read += frame.height
            frame = frame if carry is None else pl.concat([carry, frame], how="diagonal")
            if frame.height < self.batch_rows:
                carry = frame
                continue
            ids = frame["consignment_id"]
            last = ids[-1]
            others = (ids != last).fill_null(True).arg_true()
            cut = int(others[-1]) + 1 if len(others) else 0
            if cut == 0:
                carry = frame
                continue
            yield offset, frame.slice(0, cut)
            offset += cut
            carry = frame.slice(cut)
        if carry is not None and carry.height:
            yield offset, carry


class ResultWriter:
    """Appends result frames to a CSV or Parquet file, renamed into place on success."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.kind = file_kind(path, "out")
        self.tmp = path.with_name(path.name + ".partial")
        self._parquet: pq.ParquetWriter | None = None
        self._csv: Any = None
        self.rows = 0
        self.rejected = 0
        self.invalid = 0
        self._fixes: dict[str, dict[str, Any]] = {}

    def fix(self, records: dict[str, dict[str, Any]]) -> None:
        """Replace the rows already written for these consignment ids when finishing."""
        self._fixes.update(records)

    def __enter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.kind == "csv":
            self._csv = self.tmp.open("wb")
        return self

    def write(self, frame: pl.DataFrame) -> None:
        frame = frame.select(RESULT_COLUMNS).cast(result_schema())  # type: ignore[arg-type]
        self.rows += frame.height
        self.rejected += frame.filter(~pl.col("allowed")).height
        self.invalid += frame.filter(pl.col("error_codes") == "invalid_input").height
        if self.kind == "csv":
            spreadsheet_safe(frame).write_csv(self._csv, include_header=self.rows == frame.height)
            return
        table = frame.to_arrow()
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(self.tmp, table.schema)
        self._parquet.write_table(table)

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:  # fmt: skip
        if self._csv is not None:
            if self.rows == 0:
                pl.DataFrame(schema=result_schema()).write_csv(self._csv)
            self._csv.close()
        if self.kind == "parquet":
            if self._parquet is None:
                pq.write_table(pl.DataFrame(schema=result_schema()).to_arrow(), self.tmp)
            else:
                self._parquet.close()
        if exc_type is None:
            if self._fixes:
                self._apply_fixes()
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)

    def _apply_fixes(self) -> None:
        """Rewrite the finished file with each fixed consignment's row replaced in place.

        Only runs when a consignment had to be refused after its result was written (its
        rows were not next to each other, or a malformed row came later): rare, so the
        result file is read back whole (about 200 bytes per consignment in memory).
        """
        schema = result_schema()
        if self.kind == "csv":
            text = dict.fromkeys(RESULT_COLUMNS, pl.String)
            frame = pl.read_csv(self.tmp, schema=text).with_columns(pl.col("allowed") == "true")
        else:
            frame = pl.read_parquet(self.tmp)
        fixes = pl.DataFrame(
            list(self._fixes.values()),
            schema={k: (pl.String if k != "allowed" else pl.Boolean) for k in RESULT_COLUMNS},
        ).cast(schema)  # type: ignore[arg-type]
        if self.kind == "csv":  # the CSV read back holds escaped text: match it escaped
            fixes = spreadsheet_safe(fixes)
        ids = pl.col("consignment_id")
        frame = frame.with_row_index("_i").filter(
            ids.is_null()
            | ~ids.is_in(fixes["consignment_id"])
            | (pl.col("_i") == pl.col("_i").min().over("consignment_id"))
        )
        frame = frame.update(fixes, on="consignment_id", include_nulls=True).drop("_i")
        frame = frame.select(RESULT_COLUMNS).cast(schema)  # type: ignore[arg-type]
        self.rows = frame.height
        self.rejected = frame.filter(~pl.col("allowed")).height
        self.invalid = frame.filter(pl.col("error_codes") == "invalid_input").height
        if self.kind == "csv":
            spreadsheet_safe(frame).write_csv(self.tmp)
        else:
            frame.write_parquet(self.tmp)


def spreadsheet_safe(frame: pl.DataFrame) -> pl.DataFrame:
    """Text columns with `domain.csv_cells`' quote before a formula start, for CSV output
    (Parquet keeps the values as they are: no spreadsheet reads it as formulas)."""
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]

    def formula(column: str) -> pl.Expr:
        return pl.any_horizontal(pl.col(column).str.starts_with(s) for s in FORMULA_STARTS)

    return frame.with_columns(
        pl.when(formula(c)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c in text
    )


ProgressFn = Callable[[int, int | None], None]

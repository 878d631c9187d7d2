"""Run the bulk engine over a file: locally in streaming batches, or on a Dask cluster.

Both engines give exactly one output row per consignment, whatever the batch size:
`_Planner` remembers the consignment ids already written. A consignment with a malformed
CSV row gets one `malformed_row` refusal (its other rows are not assessed); one whose rows
turn up again after other consignments gets one `non_contiguous_rows` refusal. When that is
found only after the consignment's result was written (a later batch), the result is
replaced in place by the refusal when the output file is finished (`ResultWriter.fix`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from ewtp.adapters.polars.customs_manifest.files import (
    ManifestReader,
    ResultWriter,
    file_kind,
    result_schema,
)
from ewtp.adapters.polars.customs_manifest.frame import (
    BulkContext,
    assess_frame,
    non_contiguous_record,
)
from ewtp.domain.customs.manifest import RESULT_COLUMNS
from ewtp.services.customs.assess_manifest import AbstractManifestEngine, ManifestCounts

__all__ = ["DaskManifestEngine", "PolarsManifestEngine"]

Progress = Callable[[int, int | None], None]


def _malformed_record(number: int, cid: str | None, reason: str) -> dict[str, Any]:
    record: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
    record.update(
        consignment_id=cid, allowed=False, error_codes="malformed_row", warning_codes="",
        error_message=f"input row {number}: malformed CSV row ({reason})",
    )  # fmt: skip
    return record


def _records(records: list[dict[str, Any]]) -> pl.DataFrame:
    text = {k: (pl.String if isinstance(v, pl.Decimal) else v) for k, v in result_schema().items()}
    return pl.DataFrame(records, schema=text).cast(result_schema())  # type: ignore[arg-type]


class _Planner:
    """Per batch: the rows to assess and the refusals to write, one row per consignment."""

    def __init__(self, reader: ManifestReader) -> None:
        self.reader = reader
        self.seen = pl.Series("consignment_id", [], dtype=pl.String)  # ids already written
        self.bad: set[str] = set()  # ids with a malformed row
        self.done_rows = 0  # malformed entries already handled
        self.fixes: dict[str, dict[str, Any]] = {}  # written ids whose row must be replaced

    def plan(self, offset: int, frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame | None]:
        fresh = self.reader.malformed[self.done_rows :]
        self.done_rows = len(self.reader.malformed)
        records = []
        for number, cid, reason in fresh:
            if cid is not None and cid in self.bad:
                continue
            record = _malformed_record(number, cid, reason)
            if cid is None:
                records.append(record)
                continue
            self.bad.add(cid)
            if self.seen.is_in(pl.Series([cid])).any():
                self.fixes[cid] = record
            else:
                records.append(record)
        # Positions before any filtering, so contiguity is judged on the file's rows.
        frame = frame.with_columns(pl.int_range(offset, offset + frame.height).alias("_pos"))
        if self.bad:
            frame = frame.filter(~pl.col("consignment_id").is_in(sorted(self.bad)))
        ids = frame["consignment_id"].drop_nulls().unique(maintain_order=True)
        again = ids.filter(ids.is_in(self.seen)) if self.seen.len() else ids.clear()
        if again.len():
            frame = frame.filter(~pl.col("consignment_id").is_in(again))
            ids = ids.filter(~ids.is_in(again))
            for cid in again.to_list():
                self.fixes.setdefault(
                    cid, non_contiguous_record(cid, "seen again after other consignments")
                )
        self.seen.append(ids)
        for record in records:
            if record["consignment_id"] is not None:
                self.seen.append(pl.Series([record["consignment_id"]], dtype=pl.String))
        return frame, (_records(records) if records else None)

    def finish(self) -> pl.DataFrame | None:
        """Refusals for malformed rows found after the last batch."""
        _, extra = self.plan(0, pl.DataFrame(schema={"consignment_id": pl.String}))
        return extra


class PolarsManifestEngine(AbstractManifestEngine):
    """Streams the file in batches of whole consignments through `assess_frame`."""

    def __init__(self, batch_rows: int = 500_000, block_size: int | None = None) -> None:
        self.batch_rows, self.block_size = batch_rows, block_size

    def run(
        self, source: Path, target: Path, ctx: BulkContext, progress: Progress | None = None
    ) -> ManifestCounts:
        reader = ManifestReader(source, self.batch_rows, self.block_size)
        file_kind(target, "out")
        planner = _Planner(reader)
        with ResultWriter(target) as writer:
            for offset, raw in reader.batches():
                frame, extra = planner.plan(offset, raw)
                writer.write(assess_frame(frame, ctx, offset))
                if extra is not None:
                    writer.write(extra)
                if progress:
                    progress(reader.rows_read, reader.total_rows)
            extra = planner.finish()
            if extra is not None:
                writer.write(extra)
            writer.fix(planner.fixes)
        return ManifestCounts(reader.rows_read, writer.rows, writer.rejected, writer.invalid)


class DaskManifestEngine(AbstractManifestEngine):
    """Runs the batches on a Dask cluster at `address`, partitioned by consignment.

    The client streams the file in batches of whole consignments (as the local engine does)
    and submits each to the cluster; at most `in_flight` batches are outstanding, and the
    results are written in input order, so memory stays bounded on both sides.
    """

    def __init__(self, address: str, batch_rows: int = 250_000, in_flight: int = 4) -> None:
        self.address, self.batch_rows, self.in_flight = address, batch_rows, in_flight

    def run(
        self, source: Path, target: Path, ctx: BulkContext, progress: Progress | None = None
    ) -> ManifestCounts:
        from distributed import Client

        reader = ManifestReader(source, self.batch_rows)
        file_kind(target, "out")
        planner = _Planner(reader)
        pending: deque[Any] = deque()
        with (
            Client(self.address) as client,  # type: ignore[no-untyped-call]
            ResultWriter(target) as writer,
        ):
            shared = client.scatter(ctx, broadcast=True)
            for offset, raw in reader.batches():
                frame, extra = planner.plan(offset, raw)
                pending.append(client.submit(assess_frame, frame, shared, offset, pure=False))
                if extra is not None:
                    pending.append(extra)
                while len(pending) > self.in_flight:
                    writer.write(_result(pending.popleft()))
                if progress:
                    progress(reader.rows_read, reader.total_rows)
            while pending:
                writer.write(_result(pending.popleft()))
            extra = planner.finish()
            if extra is not None:
                writer.write(extra)
            writer.fix(planner.fixes)
        return ManifestCounts(reader.rows_read, writer.rows, writer.rejected, writer.invalid)


def _result(item: Any) -> pl.DataFrame:
    return item if isinstance(item, pl.DataFrame) else item.result()

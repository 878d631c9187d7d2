"""Run the bulk engine over a file: locally in streaming batches, or on a Dask cluster."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from ewtp.adapters.bulk.files import ManifestReader, ResultWriter, file_kind, result_schema
from ewtp.adapters.bulk.frame import BulkContext, assess_frame
from ewtp.domain.customs.manifest import RESULT_COLUMNS
from ewtp.services.customs_bulk import AbstractManifestEngine, ManifestCounts

__all__ = ["DaskManifestEngine", "PolarsManifestEngine"]

Progress = Callable[[int, int | None], None]


def _malformed_records(entries: list[tuple[int, str | None, str]]) -> pl.DataFrame:
    records: list[dict[str, Any]] = []
    for number, cid, reason in entries:
        record: dict[str, Any] = dict.fromkeys(RESULT_COLUMNS)
        record.update(
            consignment_id=cid, allowed=False, error_codes="malformed_row", warning_codes="",
            error_message=f"input row {number}: malformed CSV row ({reason})",
        )  # fmt: skip
        records.append(record)
    text = {k: (pl.String if isinstance(v, pl.Decimal) else v) for k, v in result_schema().items()}
    return pl.DataFrame(records, schema=text).cast(result_schema())  # type: ignore[arg-type]


class PolarsManifestEngine(AbstractManifestEngine):
    """Streams the file in batches of whole consignments through `assess_frame`."""

    def __init__(self, batch_rows: int = 500_000) -> None:
        self.batch_rows = batch_rows

    def run(
        self, source: Path, target: Path, ctx: BulkContext, progress: Progress | None = None
    ) -> ManifestCounts:
        reader = ManifestReader(source, self.batch_rows)
        file_kind(target, "out")
        reported: set[int] = set()
        with ResultWriter(target) as writer:
            for offset, frame in reader.batches():
                bad = {cid for _, cid, _ in reader.malformed if cid is not None}
                if bad:
                    frame = frame.filter(~pl.col("consignment_id").is_in(sorted(bad)))
                writer.write(assess_frame(frame, ctx, offset))
                fresh = [m for m in reader.malformed if m[0] not in reported]
                if fresh:
                    writer.write(_malformed_records(fresh))
                    reported.update(m[0] for m in fresh)
                if progress:
                    progress(reader.rows_read, reader.total_rows)
            fresh = [m for m in reader.malformed if m[0] not in reported]
            if fresh:
                writer.write(_malformed_records(fresh))
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
        pending: deque[Any] = deque()
        reported: set[int] = set()
        with (
            Client(self.address) as client,  # type: ignore[no-untyped-call]
            ResultWriter(target) as writer,
        ):
            shared = client.scatter(ctx, broadcast=True)
            for offset, frame in reader.batches():
                bad = {cid for _, cid, _ in reader.malformed if cid is not None}
                if bad:
                    frame = frame.filter(~pl.col("consignment_id").is_in(sorted(bad)))
                pending.append(client.submit(assess_frame, frame, shared, offset, pure=False))
                fresh = [m for m in reader.malformed if m[0] not in reported]
                if fresh:
                    pending.append(client.submit(_malformed_records, fresh, pure=False))
                    reported.update(m[0] for m in fresh)
                while len(pending) > self.in_flight:
                    writer.write(pending.popleft().result())
                if progress:
                    progress(reader.rows_read, reader.total_rows)
            while pending:
                writer.write(pending.popleft().result())
            fresh = [m for m in reader.malformed if m[0] not in reported]
            if fresh:
                writer.write(_malformed_records(fresh))
        return ManifestCounts(reader.rows_read, writer.rows, writer.rejected, writer.invalid)

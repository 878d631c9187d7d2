"""Run the bulk engine over a file: locally in streaming batches, or on a Dask cluster."""

from __future__ import annotations

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
    return pl.DataFrame(records, schema=result_schema())


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


def _assess_partition(part: Any, ctx: BulkContext) -> pl.DataFrame:
    frame = pl.from_pandas(part).cast(pl.String)
    return assess_frame(frame, ctx)


class DaskManifestEngine(AbstractManifestEngine):
    """Partitions the manifest by consignment id on a Dask cluster at `address`."""

    def __init__(self, address: str) -> None:
        self.address = address

    def run(
        self, source: Path, target: Path, ctx: BulkContext, progress: Progress | None = None
    ) -> ManifestCounts:
        import dask.dataframe as dd
        from dask.delayed import delayed
        from distributed import Client, as_completed

        kind = file_kind(source, "input")
        file_kind(target, "out")
        if kind == "parquet":
            ddf = dd.read_parquet(str(source))
        else:
            ddf = dd.read_csv(str(source), dtype=str, keep_default_na=False, blocksize="32MB")
        rows = 0
        with Client(self.address) as client:  # type: ignore[no-untyped-call]
            shared = client.scatter(ctx, broadcast=True)
            parts = ddf.shuffle(on="consignment_id").to_delayed()
            tasks = [delayed(_assess_partition)(p, shared) for p in parts]
            futures = client.compute(tasks)
            with ResultWriter(target) as writer:
                for done, future in enumerate(as_completed(futures), start=1):  # type: ignore[no-untyped-call]
                    result = future.result()
                    writer.write(result)
                    if progress:
                        progress(done, len(futures))
            rows = int(ddf.shape[0].compute())
        return ManifestCounts(rows, writer.rows, writer.rejected, writer.invalid)

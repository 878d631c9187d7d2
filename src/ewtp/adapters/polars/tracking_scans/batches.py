"""How a scan file is cut into transactions: by parcel over workers, and in waves.

Two rules make every batch cheap to store (see `adapters/db/tracking/set_fold.py`):
- Each worker owns whole parcels (by a hash of the normalized number), so batches in
  flight never wait on each other's row locks.
- A batch holds at most one scan of a parcel. Files are often exported parcel by parcel,
  several scans each; a batch with two scans of one parcel takes the exact per-shipment
  re-fold in Python instead of the set-based fold in SQL. So each worker's rows go in
  waves: first every parcel's first scan in the file, then every second scan, and so on,
  with no batch crossing a wave. A parcel's own scans keep their file order, which is all
  the fold needs: parcels are independent, and scans arriving out of time order are
  handled like any late scan.
"""

from __future__ import annotations

from typing import cast

import polars as pl

__all__ = ["plan_batches"]


def plan_batches(frame: pl.DataFrame, workers: int, size: int) -> list[list[list[int]]]:
    """For each worker, its batches of row positions, in the order to store them."""
    key = frame["tracking_number"].str.replace_all(r"\s", "").str.to_uppercase()
    plan = (
        pl.DataFrame({"key": key})
        .with_row_index("row")
        .with_columns(
            part=(pl.col("key").hash(seed=0) % workers).fill_null(0),
            wave=pl.int_range(pl.len()).over("key"),
        )
        .sort("part", "wave", "row")
    )
    shares: list[list[list[int]]] = [[] for _ in range(workers)]
    for (part, _wave), rows in plan.group_by("part", "wave", maintain_order=True):
        positions = rows["row"].cast(pl.Int64).to_list()
        shares[cast(int, part)].extend(
            positions[lo : lo + size] for lo in range(0, len(positions), size)
        )
    return shares

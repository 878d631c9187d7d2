"""The CLI's plan of a scan file: every row once; a parcel in one worker's share only
(however its number is spaced or cased), its scans in file order; no batch over the size
or holding two scans of one parcel."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.adapters.polars.tracking_scans.batches import plan_batches

NUMBERS = ["LP000000014CN", "lp000000014cn", " LP 000000014 CN", "LP000000028CN", "RR1", None]


def _key(number: str | None) -> str | None:
    return None if number is None else "".join(number.split()).upper()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(NUMBERS), max_size=60), st.integers(1, 5), st.integers(1, 7))
def test_the_plan_keeps_parcels_whole_ordered_and_one_scan_per_batch(
    numbers: list[str | None], workers: int, size: int
) -> None:
    frame = pl.DataFrame({"tracking_number": numbers}, schema={"tracking_number": pl.Utf8})
    shares = plan_batches(frame, workers, size)
    assert len(shares) == workers
    rows = [row for share in shares for batch in share for row in batch]
    assert sorted(rows) == list(range(len(numbers)))
    owner: dict[str, int] = {}
    for index, share in enumerate(shares):
        seen: dict[str | None, list[int]] = {}
        for batch in share:
            assert 1 <= len(batch) <= size
            keys = [_key(numbers[row]) for row in batch]
            assert len(set(keys)) == len(keys), "two scans of one parcel in a batch"
            for row, key in zip(batch, keys, strict=True):
                seen.setdefault(key, []).append(row)
                if key is not None:
                    assert owner.setdefault(key, index) == index
        for order in seen.values():
            assert order == sorted(order), "a parcel's scans out of file order"


def test_a_parcel_by_parcel_export_is_stored_in_waves() -> None:
    frame = pl.DataFrame({"tracking_number": ["A", "A", "A", "B", "B", "C"]})
    assert plan_batches(frame, 1, 10) == [[[0, 3, 5], [1, 4], [2]]]
    assert plan_batches(frame, 1, 2) == [[[0, 3], [5], [1, 4], [2]]]

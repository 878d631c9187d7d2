"""The CLI's split of a scan file over workers: every row once, in file order, and never
one parcel in two shares (however its number is spaced or cased)."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.cli.commands.tracking import _partitions

NUMBERS = ["LP000000014CN", "lp000000014cn", " LP 000000014 CN", "LP000000028CN", "RR1", None]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(NUMBERS), max_size=60), st.integers(1, 5))
def test_every_row_once_in_order_and_each_parcel_in_one_share(
    numbers: list[str | None], parts: int
) -> None:
    frame = pl.DataFrame({"tracking_number": numbers}, schema={"tracking_number": pl.Utf8})
    shares = _partitions(frame, parts)
    assert len(shares) == parts
    assert sorted(row for share in shares for row in share) == list(range(len(numbers)))
    owner: dict[str, int] = {}
    for index, share in enumerate(shares):
        assert list(share) == sorted(share)
        for row in share:
            number = numbers[row]
            if number is not None:
                key = "".join(number.split()).upper()
                assert owner.setdefault(key, index) == index

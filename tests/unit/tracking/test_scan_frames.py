"""The column validator (`adapters.bulk.scans`) against the scalar one, row by row.

The scalar `to_scan_event` is the oracle: for every generated row, the bulk result must
hold the same normalized event or the same rejection (field and wording).
"""

from __future__ import annotations

from datetime import UTC

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from ewtp.adapters.polars.tracking_scans.validate import FIELDS, validate_scan_frame
from ewtp.domain.errors import InvalidInput
from ewtp.domain.s10 import make_s10
from ewtp.domain.tracking.scans import RawEvent, Rejection, to_scan_event
from ewtp.domain.tracking.timeline import SCAN_CODES

GOOD = make_s10("LP", 1234, "CN")
NUMBERS = st.sampled_from(
    (GOOD, GOOD.lower(), f" {GOOD}", GOOD[:10] + str((int(GOOD[10]) + 1) % 10) + GOOD[11:],
     "LP12345678CN", "", "LP１２３４５６７８９CN", make_s10("RR", 99_999_999, "BE"))
)  # fmt: skip
CODES = st.sampled_from(
    [c.code for c in SCAN_CODES] + ["Departed", " arrived", "EMA", "ema", "Ema", "nope", ""]
)
TIMES = st.sampled_from(
    ("2026-11-20T08:00:00Z", "2026-11-20T09:30:00+01:30", "2026-11-20T08:00:00.5-02:00",
     "2026-11-20T08:00:00.123456+00:00", "2026-11-20T08:00:00", "2026-11-20 08:00:00+00:00",
     "2026-02-30T08:00:00Z", "2026-11-20T24:00:00Z", "yesterday", "", "2026-11-20T08:00Z",
     "2026-11-20T08:00:60Z", "2026-11-20T08:00:00.1234567Z")
)  # fmt: skip
HUBS = st.sampled_from(("HGH", "hgh", " LGG", "LIEGE001", "LIEGE0001", "H", "H-1", ""))
TEXTS = st.none() | st.text(max_size=5) | st.sampled_from(("x" * 301, "dock 4", ""))
SOURCES = st.none() | st.sampled_from(
    ("a", " a", "a ", "scan-1", "x" * 100, "x" * 101, "", "a\x1f", "é", "a b")
)
ROWS = st.tuples(NUMBERS, CODES, TIMES, HUBS, TEXTS, SOURCES)


def scalar(row: tuple[str, str, str, str, str | None, str | None], index: int) -> object:
    try:
        return to_scan_event(RawEvent(*row))
    except InvalidInput as exc:
        return Rejection(index, row[0], exc.field or "event", exc.message)


@settings(max_examples=150, deadline=None)
@given(st.lists(ROWS, min_size=1, max_size=30), st.integers(min_value=0, max_value=5))
def test_bulk_validation_equals_scalar(rows: list[tuple[str, ...]], offset: int) -> None:
    frame = pl.DataFrame(rows, schema=dict.fromkeys(FIELDS, pl.Utf8), orient="row")
    bulk = validate_scan_frame(frame, offset)
    expected = {i + offset: scalar(row, i + offset) for i, row in enumerate(rows)}  # type: ignore[arg-type]
    got: dict[int, object] = {r.index: r for r in bulk.rejections}
    for seq, event in bulk.events():
        assert event.occurred_at.tzinfo is not None
        got[seq] = event
    assert got == expected
    assert len(bulk) + len(bulk.rejections) == len(rows)


def test_staging_csv_has_utc_times_and_empty_for_missing() -> None:
    frame = pl.DataFrame(
        {"tracking_number": [GOOD], "code": ["EMC"], "occurred_at": ["2026-11-20T09:00:00+01:00"],
         "hub": ["HGH"]}
    )  # fmt: skip
    bulk = validate_scan_frame(frame, 7)
    assert bulk.to_csv().decode() == (
        f"{GOOD},EMC,departed,,2026-11-20T08:00:00.000000+00:00,HGH,,,7\n"
    )
    [(seq, event)] = bulk.events()
    assert seq == 7
    assert event.occurred_at.utcoffset() == UTC.utcoffset(None)

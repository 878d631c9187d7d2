"""Scan validation for whole columns: the bulk twin of `services.ingest_events.to_scan_event`.

At hub scale the per-event Python of the scalar validator costs more than storing the
event. Here polars checks every row of a batch at once, but only accepts what it can
judge exactly like the scalar validator: canonical S10 numbers with a right check digit,
codes spelled as in the table (or in lower case), ISO 8601 times with an offset, canonical
hub codes, printable-ASCII source ids. Any other row, good or bad, goes through
`to_scan_event` itself, so odd spellings are normalized and errors are worded exactly as
for a single event. `tests/unit/tracking/test_scan_frames.py` checks the two agree on
random rows.

The result is a `ScanFrame`: the accepted rows in the staging layout (see `to_csv`), and
the rejections.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import polars as pl

from ewtp.domain.errors import InvalidInput
from ewtp.domain.s10 import DIGIT_BY_REMAINDER, WEIGHTS
from ewtp.domain.tracking.scans import RawEvent, Rejection, to_scan_event
from ewtp.domain.tracking.timeline import SCAN_CODES, Milestone, ScanEvent
from ewtp.services.tracking.ports import STAGED_COLUMNS, StagedRow, staged_row

__all__ = ["FIELDS", "ScanFrame", "validate_scan_frame"]

FIELDS = ("tracking_number", "code", "occurred_at", "hub", "description", "source_event_id")
S10_EXACT = r"^[A-Z]{2}[0-9]{9}[A-Z]{2}$"
# polars would roll a 60th second or a 24th hour over; Python refuses them, so do we.
_HH, _MM = "([01][0-9]|2[0-3])", "[0-5][0-9]"
ISO_EXACT = (
    rf"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}T{_HH}:{_MM}:{_MM}(\.[0-9]{{1,6}})?(Z|[+-]{_HH}:{_MM})$"
)
HUB_EXACT = r"^[A-Z0-9]{2,8}$"
SOURCE_EXACT = r"^[!-~]([ -~]{0,98}[!-~])?$"  # printable ASCII, no edge spaces, <= 100
DESCRIPTION_MAX = 300
UTC_TIME = pl.Datetime("us", "UTC")
CSV_TIME = "%Y-%m-%dT%H:%M:%S%.6f%:z"


def _codes() -> pl.DataFrame:
    """The code table keyed by every spelling the scalar lookup maps without doubt."""
    rows: dict[str, tuple[str, str, str | None]] = {}
    for c in SCAN_CODES:
        for spelling in (c.code, c.code.lower()):
            rows[spelling] = (c.code, c.milestone.value, c.reason)
    return pl.DataFrame(
        {
            "code": list(rows),
            "canonical": [v[0] for v in rows.values()],
            "milestone": [v[1] for v in rows.values()],
            "reason": [v[2] for v in rows.values()],
        },
        schema={"code": pl.Utf8, "canonical": pl.Utf8, "milestone": pl.Utf8, "reason": pl.Utf8},
    )


CODES = _codes()


@dataclass(frozen=True)
class ScanFrame:
    """Validated scans of one batch; `seq` is each row's position in the batch."""

    rows: pl.DataFrame
    rejections: list[Rejection]

    def __len__(self) -> int:
        return self.rows.height

    def to_csv(self) -> bytes:
        """The rows as headerless CSV in `STAGED_COLUMNS` order, times in UTC, for COPY.

        Missing values are empty fields (NULL to COPY); an empty string cannot occur.
        """
        out = io.BytesIO()
        self.rows.select(STAGED_COLUMNS).write_csv(
            out, include_header=False, datetime_format=CSV_TIME
        )
        return out.getvalue()

    def keys(self) -> list[tuple[int, str, str, str, datetime]]:
        """(position, number, milestone, hub, time) of each row, for the scan checks."""
        picked = self.rows.select("seq", "tracking_number", "milestone", "hub", "occurred_at")
        return [
            (seq, number, milestone, hub, at.replace(tzinfo=UTC))
            for seq, number, milestone, hub, at in picked.iter_rows()
        ]

    def summary(self) -> tuple[list[str], set[str], datetime, datetime]:
        numbers = self.rows["tracking_number"].unique().sort().to_list()
        hubs = set(self.rows["hub"].unique().to_list())
        times = self.rows["occurred_at"]
        earliest, latest = cast(datetime, times.min()), cast(datetime, times.max())
        return numbers, hubs, earliest.replace(tzinfo=UTC), latest.replace(tzinfo=UTC)

    def without(self, positions: set[int]) -> ScanFrame:
        kept = self.rows.filter(~pl.col("seq").is_in(sorted(positions)))
        return ScanFrame(kept, self.rejections)

    def events(self) -> list[tuple[int, ScanEvent]]:
        """The rows as (position, event), for stores that fold in Python."""
        milestones = {m.value: m for m in Milestone}
        return [
            (
                seq,
                ScanEvent(
                    number,
                    code,
                    milestones[milestone],
                    reason,
                    at.replace(tzinfo=UTC),
                    hub,
                    text,
                    source,
                ),
            )
            for number, code, milestone, reason, at, hub, text, source, seq in self.rows.select(
                STAGED_COLUMNS
            ).iter_rows()
        ]


def _check_digit_ok() -> pl.Expr:
    number = pl.col("tracking_number")
    total = pl.sum_horizontal(
        number.str.slice(2 + i, 1).cast(pl.Int32, strict=False) * weight
        for i, weight in enumerate(WEIGHTS)
    )
    digit = (total % 11).replace_strict(dict(enumerate(DIGIT_BY_REMAINDER)), return_dtype=pl.Int32)
    return digit == number.str.slice(10, 1).cast(pl.Int32, strict=False)


def validate_scan_frame(frame: pl.DataFrame, offset: int = 0) -> ScanFrame:
    """Validate a batch given as text columns named `FIELDS` (the last two optional).

    Row positions (`seq`, and `index` in rejections) count from `offset`.
    """
    for name in FIELDS:
        if name not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias(name))
    frame = frame.select(pl.col(FIELDS).cast(pl.Utf8)).with_row_index("seq", offset)
    frame = frame.with_columns(pl.col("seq").cast(pl.Int64))
    number, hub, source = pl.col("tracking_number"), pl.col("hub"), pl.col("source_event_id")
    at = pl.col("occurred_at")
    checked = frame.join(CODES, on="code", how="left", maintain_order="left").with_columns(
        at.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", strict=False, time_zone="UTC")
        .cast(UTC_TIME)
        .alias("parsed_at")
    )
    fast = (
        number.str.contains(S10_EXACT).fill_null(False)
        & _check_digit_ok().fill_null(False)
        & pl.col("canonical").is_not_null()
        & at.str.contains(ISO_EXACT).fill_null(False)
        & pl.col("parsed_at").is_not_null()
        & hub.str.contains(HUB_EXACT).fill_null(False)
        & (source.is_null() | source.str.contains(SOURCE_EXACT).fill_null(False))
    )
    checked = checked.with_columns(fast.alias("fast"))
    accepted = checked.filter(pl.col("fast")).select(
        number,
        pl.col("canonical").alias("code"),
        pl.col("milestone"),
        pl.col("reason"),
        pl.col("parsed_at").alias("occurred_at"),
        hub,
        pl.col("description").str.slice(0, DESCRIPTION_MAX).replace("", None),
        source,
        pl.col("seq"),
    )
    others = checked.filter(~pl.col("fast")).select("seq", *FIELDS)
    rejections: list[Rejection] = []
    if others.height:
        slow = _scalar(others.iter_rows(), rejections)
        if slow is not None:
            accepted = pl.concat([accepted, slow]).sort("seq")
    return ScanFrame(accepted, rejections)


def _scalar(rows: Iterable[tuple[Any, ...]], rejections: list[Rejection]) -> pl.DataFrame | None:
    """Rows the columns could not judge, through the scalar validator one by one."""
    good: list[StagedRow] = []
    for seq, number, code, at, hub, text, source in rows:
        raw = RawEvent(number or "", code or "", at or "", hub or "", text, source)
        try:
            e = to_scan_event(raw)
        except InvalidInput as exc:
            rejections.append(
                Rejection(seq, raw.tracking_number, exc.field or "event", exc.message)
            )
            continue
        good.append(staged_row(seq, e))
    if not good:
        return None
    schema: dict[str, pl.DataType] = {name: pl.Utf8() for name in STAGED_COLUMNS}
    schema |= {"occurred_at": UTC_TIME, "seq": pl.Int64()}
    return pl.DataFrame(good, schema=schema, orient="row")

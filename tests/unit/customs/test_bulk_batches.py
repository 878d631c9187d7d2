"""One output row per consignment, whatever the batch size, malformed rows and row order.

The oracle is independent of the engine's batching: consignments in order of first
appearance; one with any malformed CSV row is refused as `malformed_row`; one whose
well-formed rows are not next to each other is refused as `non_contiguous_rows`; every
other one gets the scalar engine's result on its rows.
"""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ewtp.adapters.customs.fx import bundled_sources
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.adapters.polars.customs_manifest import BulkContext
from ewtp.adapters.polars.customs_manifest.runner import PolarsManifestEngine
from ewtp.adapters.polars.customs_manifest.scalar import assess_rows
from ewtp.domain.customs.manifest import (
    INPUT_COLUMNS,
    MONEY_COLUMNS,
    OPTIONAL_COLUMNS,
    RESULT_COLUMNS,
)
from unit.customs.strategies import consignment_rows

CTX = BulkContext(load_rule_book(), bundled_sources())
COLUMNS = [*INPUT_COLUMNS, *OPTIONAL_COLUMNS]


@st.composite
def files(draw: st.DrawFn) -> tuple[list[dict[str, Any]], list[bool]]:
    """Rows (possibly shuffled out of consignment order) and which are malformed."""
    rows: list[dict[str, Any]] = []
    for n in range(draw(st.integers(1, 12))):
        rows.extend(draw(consignment_rows(f"C{n}")))
    if draw(st.integers(0, 3)) == 0:  # sometimes break contiguity
        rows = draw(st.permutations(rows))
    malformed = [draw(st.integers(0, 7)) == 0 for _ in rows]
    return rows, malformed


def write(path: Path, rows: list[dict[str, Any]], malformed: list[bool]) -> None:
    with path.open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(COLUMNS)
        for row, bad in zip(rows, malformed, strict=True):
            cells = ["" if row.get(c) is None else row[c] for c in COLUMNS]
            out.writerow(cells[:3] if bad else cells)


def oracle(rows: list[dict[str, Any]], malformed: list[bool]) -> dict[str, dict[str, Any]]:
    order: list[str] = []
    positions: dict[str, list[int]] = {}
    bad: set[str] = set()
    good_index = 0
    for row, is_bad in zip(rows, malformed, strict=True):
        cid = row["consignment_id"]
        if cid not in positions:
            order.append(cid)
            positions[cid] = []
        if is_bad:
            bad.add(cid)
        else:
            positions[cid].append(good_index)
            good_index += 1
    out: dict[str, dict[str, Any]] = {}
    for cid in order:
        at = positions[cid]
        if cid in bad:
            out[cid] = {"allowed": False, "error_codes": "malformed_row"}
        elif at[-1] - at[0] + 1 != len(at):
            out[cid] = {"allowed": False, "error_codes": "non_contiguous_rows"}
        else:
            group = [
                r
                for r, b in zip(rows, malformed, strict=True)
                if r["consignment_id"] == cid and not b
            ]
            record = assess_rows(cid, group, CTX.book, CTX.rates)
            out[cid] = {k: record[k] for k in RESULT_COLUMNS}
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files(), st.integers(1, 40), st.sampled_from([None, 400, 2000]))
def test_one_row_per_consignment_for_any_batch_size(
    data: tuple[list[dict[str, Any]], list[bool]], batch_rows: int, block_size: int | None
) -> None:
    rows, malformed = data
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.csv", Path(tmp) / "out.parquet"
        write(source, rows, malformed)
        engine = PolarsManifestEngine(batch_rows=batch_rows, block_size=block_size)
        counts = engine.run(source, target, CTX)
        got = pl.read_parquet(target).with_columns(pl.col(c).cast(pl.String) for c in MONEY_COLUMNS)
    ids = got["consignment_id"].to_list()
    want = oracle(rows, malformed)
    assert sorted(ids) == sorted(want), "exactly one output row per consignment"
    assert counts.consignments == len(want)
    for record in got.to_dicts():
        expected = want[record["consignment_id"]]
        assert {k: record[k] for k in expected} == expected


def test_scattered_consignment_is_refused_once_with_a_clear_error() -> None:
    """C0's rows are split by C1 across a batch boundary: one refusal row for C0, in place."""
    base = dict.fromkeys(COLUMNS, "") | {
        "date": "2026-11-20", "origin_country": "CN", "destination_country": "FR",
        "currency": "EUR", "transport_cost": "1", "insurance_cost": "0", "hs_code": "610910",
        "description": "T-shirt", "quantity": "1", "unit_value": "5.00",
        "item_origin_country": "CN", "weight_kg": "0.1",
    }  # fmt: skip
    rows = [base | {"consignment_id": cid} for cid in ("C0", "C1", "C0", "C2")]
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.csv", Path(tmp) / "out.csv"
        write(source, rows, [False] * 4)
        counts = PolarsManifestEngine(batch_rows=1).run(source, target, CTX)
        out = pl.read_csv(target, infer_schema=False)
    assert out["consignment_id"].to_list() == ["C0", "C1", "C2"]
    assert counts.consignments == 3
    c0 = out.row(0, named=True)
    assert (c0["allowed"], c0["error_codes"]) == ("false", "non_contiguous_rows")
    assert "not next to each other" in c0["error_message"]
    assert out["allowed"].to_list()[1:] == ["true", "true"]

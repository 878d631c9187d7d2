"""The bulk engine on files: streaming batches, malformed rows, CSV/Parquet, Dask."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from ewtp.adapters.customs.fx import bundled_sources
from ewtp.adapters.customs.rule_files import load_rule_book
from ewtp.adapters.polars.customs_manifest import BulkContext
from ewtp.adapters.polars.customs_manifest.runner import DaskManifestEngine, PolarsManifestEngine
from ewtp.domain.customs.manifest import INPUT_COLUMNS

CTX = BulkContext(load_rule_book(), bundled_sources())


def rows(count: int) -> list[dict[str, Any]]:
    out = []
    for n in range(count):
        for line in range(1 + n % 3):
            out.append(
                {"consignment_id": f"C{n:04d}", "date": "2026-11-20", "origin_country": "CN",
                 "destination_country": ["FR", "DE", "IT"][n % 3], "import_country": "",
                 "seller_ioss": "IM0560000001" if n % 2 else "", "currency": "EUR",
                 "transport_cost": "4.00", "insurance_cost": "0",
                 "hs_code": ["610910", "851830", "910211"][line], "description": "goods line",
                 "quantity": "1", "unit_value": f"{10 + n % 200}.99", "item_origin_country": "CN",
                 "weight_kg": "0.3"}
            )  # fmt: skip
    return out


def write_csv(path: Path, data: list[dict[str, Any]], extra_lines: list[str] = ()) -> None:  # type: ignore[assignment]
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(INPUT_COLUMNS))
        writer.writeheader()
        writer.writerows(data)
        for line in extra_lines:
            handle.write(line + "\n")


def test_small_batches_give_the_same_result_as_one_batch(tmp_path: Path) -> None:
    data = rows(300)
    pl.DataFrame(data).write_parquet(tmp_path / "in.parquet")
    PolarsManifestEngine(batch_rows=37).run(
        tmp_path / "in.parquet", tmp_path / "small.parquet", CTX
    )
    counts = PolarsManifestEngine().run(tmp_path / "in.parquet", tmp_path / "big.parquet", CTX)
    small, big = (
        pl.read_parquet(tmp_path / "small.parquet"),
        pl.read_parquet(tmp_path / "big.parquet"),
    )
    assert counts.consignments == 300
    assert counts.rows == len(data)
    assert small.equals(big)
    assert small["consignment_id"].n_unique() == 300


def test_malformed_csv_row_is_reported_and_the_others_are_assessed(tmp_path: Path) -> None:
    data = rows(20)
    write_csv(tmp_path / "in.csv", data, ["C9999,2026-11-20,CN,FR"])
    data[3]["quantity"] = "-2"
    write_csv(tmp_path / "bad.csv", data, ["C9999,2026-11-20,CN,FR"])
    counts = PolarsManifestEngine().run(tmp_path / "bad.csv", tmp_path / "out.csv", CTX)
    out = pl.read_csv(tmp_path / "out.csv", infer_schema=False)
    assert counts.consignments == 21
    bad = {r["consignment_id"]: r for r in out.filter(pl.col("allowed") == "false").to_dicts()}
    assert set(bad) == {data[3]["consignment_id"], "C9999"}
    assert bad["C9999"]["error_codes"] == "malformed_row"
    assert "expected 15 fields, got 4" in bad["C9999"]["error_message"]
    assert bad[data[3]["consignment_id"]]["error_message"].startswith("items[")
    assert out.filter(pl.col("allowed") == "true").height == 19


def test_a_failed_run_leaves_no_partial_output(tmp_path: Path) -> None:
    (tmp_path / "in.csv").write_text("no,header,here\n1,2,3\n")
    with pytest.raises(Exception, match="consignment_id"):
        PolarsManifestEngine().run(tmp_path / "in.csv", tmp_path / "out.csv", CTX)
    assert list(tmp_path.iterdir()) == [tmp_path / "in.csv"]


def test_dask_local_cluster_gives_the_local_result(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    data = rows(120)
    pl.DataFrame(data).write_parquet(tmp_path / "in.parquet")
    PolarsManifestEngine().run(tmp_path / "in.parquet", tmp_path / "local.parquet", CTX)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        counts = DaskManifestEngine(cluster.scheduler_address, batch_rows=50, in_flight=2).run(
            tmp_path / "in.parquet", tmp_path / "dask.parquet", CTX
        )
    local = pl.read_parquet(tmp_path / "local.parquet")
    remote = pl.read_parquet(tmp_path / "dask.parquet")
    assert counts.consignments == 120
    assert remote.equals(local)

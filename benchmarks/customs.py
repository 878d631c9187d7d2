"""Customs bulk engine vs the scalar engine, on a realistic generated manifest.

    .venv/bin/python benchmarks/customs.py            # 500k consignments, extrapolated
    .venv/bin/python benchmarks/customs.py --full     # 5M consignments (~8M item lines)

The manifest mimics a Liège day: ~1.6 item lines per consignment, 90% low-value, mostly
from China into the EU in EUR (some USD/CNY), 60% under IOSS, HS codes from the shipped
tariff table. Each engine runs in its own child process so its peak RSS is its own.
The scalar engine (one consignment at a time, the `ewtp landed-cost` path) is timed on a
sample and is the baseline; the ratio is bulk / scalar throughput.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

TARGET_CONSIGNMENTS = 5_000_000
DESTINATIONS = [
    "FR",
    "DE",
    "ES",
    "IT",
    "NL",
    "BE",
    "PL",
    "SE",
    "AT",
    "PT",
    "RO",
    "IE",
    "CZ",
    "HU",
    "FI",
]
DEST_WEIGHTS = [18, 17, 12, 11, 8, 6, 7, 3, 3, 3, 3, 2, 3, 2, 2]
HS = ["610910", "611030", "620342", "640299", "420222", "711719", "851830", "850440", "851713",
      "950300", "392690", "732393", "847160", "910211", "330499", "630260", "900410", "871200"]  # fmt: skip
DESCRIPTIONS = ["Cotton T-shirt", "Pullover", "Trousers", "Sneakers", "Handbag", "Necklace",
                "Earphones", "Phone charger", "Smartphone", "Toy car", "Phone case", "Kitchen set",
                "Keyboard", "Wrist watch", "Face cream", "Towel", "Sunglasses", "Bicycle"]  # fmt: skip


def generate(consignments: int, path: Path, seed: int = 7) -> int:
    rng = np.random.default_rng(seed)
    lines_per = rng.choice([1, 2, 3, 4], size=consignments, p=[0.62, 0.22, 0.11, 0.05])
    n = int(lines_per.sum())
    cid = np.repeat(np.arange(consignments), lines_per)
    dest_p = np.array(DEST_WEIGHTS) / sum(DEST_WEIGHTS)
    head = {
        "dest": rng.choice(DESTINATIONS, size=consignments, p=dest_p),
        "currency": rng.choice(["EUR", "USD", "CNY"], size=consignments, p=[0.8, 0.15, 0.05]),
        "ioss": np.where(rng.random(consignments) < 0.6, "IM0560000001", ""),
        "transport": np.round(rng.uniform(0, 12, size=consignments), 2),
    }
    big = rng.random(consignments) < 0.1  # 10% above EUR 150
    hs_idx = rng.integers(0, len(HS), size=n)
    unit = np.where(big[cid], rng.uniform(60, 400, size=n), rng.uniform(1, 45, size=n))
    currency_factor = np.select(
        [head["currency"][cid] == "USD", head["currency"][cid] == "CNY"], [1.1, 7.4], 1.0
    )
    frame = pl.DataFrame(
        {
            "consignment_id": np.char.add("LGG", cid.astype(str)),
            "date": "2026-10-29",
            "origin_country": "CN",
            "destination_country": head["dest"][cid],
            "import_country": "BE",
            "seller_ioss": head["ioss"][cid],
            "currency": head["currency"][cid],
            "transport_cost": np.char.mod("%.2f", head["transport"][cid]),
            "insurance_cost": "0",
            "hs_code": np.array(HS)[hs_idx],
            "description": np.array(DESCRIPTIONS)[hs_idx],
            "quantity": rng.choice(["1", "1", "1", "2", "3"], size=n),
            "unit_value": np.char.mod("%.2f", unit * currency_factor),
            "item_origin_country": "CN",
            "weight_kg": np.char.mod("%.2f", rng.uniform(0.05, 2, size=n)),
        }
    )
    frame.write_parquet(path, row_group_size=250_000)
    return n


def child_bulk(source: Path, target: Path, batch_rows: int) -> dict[str, float]:
    from ewtp.adapters.customs.fx import bundled_sources
    from ewtp.adapters.customs.rule_files import load_rule_book
    from ewtp.adapters.polars.customs_manifest.frame import BulkContext
    from ewtp.adapters.polars.customs_manifest.runner import PolarsManifestEngine

    ctx = BulkContext(load_rule_book(), bundled_sources())
    started = time.perf_counter()
    counts = PolarsManifestEngine(batch_rows).run(source, target, ctx)
    return {"seconds": time.perf_counter() - started, "consignments": counts.consignments}


def child_scalar(source: Path, sample: int) -> dict[str, float]:
    from ewtp.adapters.customs.fx import bundled_sources
    from ewtp.adapters.customs.rule_files import load_rule_book
    from ewtp.adapters.polars.customs_manifest.scalar import assess_rows

    book, rates = load_rule_book(), bundled_sources()
    rows = pl.scan_parquet(source).head(int(sample * 1.8)).collect().to_dicts()
    groups = [
        (cid, list(g)) for cid, g in itertools.groupby(rows, key=lambda r: r["consignment_id"])
    ][:sample]
    started = time.perf_counter()
    records = [assess_rows(cid, g, book, rates) for cid, g in groups]
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "consignments": len(records), "records": records}  # type: ignore[dict-item]


def run_child(*args: str) -> tuple[dict[str, object], float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=True
    )
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return json.loads(out.stdout.splitlines()[-1]), peak_kib / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--full", action="store_true", help="the real 5M-consignment day")
    parser.add_argument("--consignments", type=int, default=500_000)
    parser.add_argument("--scalar-sample", type=int, default=20_000)
    parser.add_argument("--batch-rows", type=int, default=1_000_000)
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "bulk":
            result = child_bulk(Path(rest[0]), Path(rest[1]), int(rest[2]))
        else:
            result = child_scalar(Path(rest[0]), int(rest[1]))
        print(json.dumps(result, default=str))
        return
    size = TARGET_CONSIGNMENTS if args.full else args.consignments
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "manifest.parquet", Path(tmp) / "result.parquet"
        t0 = time.perf_counter()
        lines = generate(size, source)
        print(
            f"generated {size:,} consignments / {lines:,} item lines in {time.perf_counter() - t0:.1f} s"
        )
        bulk, bulk_rss = run_child("bulk", str(source), str(target), str(args.batch_rows))
        scalar, _ = run_child("scalar", str(source), str(args.scalar_sample))
        scalar_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024 / 1024
        bulk_rate = float(bulk["consignments"]) / float(bulk["seconds"])  # type: ignore[arg-type]
        scalar_rate = float(scalar["consignments"]) / float(scalar["seconds"])  # type: ignore[arg-type]
        sample = scalar["records"]
        got = pl.read_parquet(target).head(len(sample)).select(pl.all().cast(pl.String)).to_dicts()  # type: ignore[arg-type]
        same = all(
            {k: g[k] for k in w if k != "allowed"} == {k: v for k, v in w.items() if k != "allowed"}  # type: ignore[union-attr]
            for g, w in zip(got, sample, strict=True)
        )
    day = TARGET_CONSIGNMENTS
    print(
        f"bulk engine   : {bulk_rate:>12,.0f} consignments/s  ({bulk['consignments']:,} in {float(bulk['seconds']):.1f} s, peak RSS {bulk_rss:.2f} GiB)"
    )  # type: ignore[arg-type]
    print(
        f"scalar engine : {scalar_rate:>12,.0f} consignments/s  (sample of {scalar['consignments']:,}; baseline)"
    )
    print(f"ratio         : {bulk_rate / scalar_rate:>12.1f} x")
    print(
        f"5M-day        : bulk {day / bulk_rate:.0f} s{'' if args.full else ' (extrapolated)'} vs scalar {day / scalar_rate:.0f} s; target <= 60 s, < 8 GiB"
    )
    print(f"bulk == scalar on the {len(sample):,}-consignment sample: {same}")  # type: ignore[arg-type]
    if scalar_rss > bulk_rss:
        print(f"(scalar child peak RSS {scalar_rss:.2f} GiB)")


if __name__ == "__main__":
    main()

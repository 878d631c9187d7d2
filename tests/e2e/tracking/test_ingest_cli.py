"""`ewtp tracking ingest` as a real subprocess, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import func, select

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.adapters.db.tables.shipments import ShipmentRow
from ewtp.adapters.db.tables.tracking import TrackingEventRow
from ewtp.adapters.db.uow import SqlAlchemyUnitOfWork
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.tracking.conftest import NOW
from integration.tracking.shipments import BOOKED_AT, add_shipments

pytestmark = pytest.mark.e2e


def ewtp(*args: str, db_url: str, var_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EWTP_DATABASE_URL": db_url, "EWTP_VAR_DIR": str(var_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_ingest_csv_and_parquet_with_per_row_errors(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    factory = make_session_factory(engine)
    merchant = create_account(SqlAlchemyUnitOfWork(factory), "M", Role.MERCHANT, NOW)
    numbers = list(add_shipments(factory, merchant.account.id, range(1, 51)))
    rows = [
        {"tracking_number": n, "code": code, "hub": hub,
         "occurred_at": (BOOKED_AT + timedelta(hours=h)).isoformat()}
        for n in numbers
        for h, code, hub in ((0, "accepted", "HGH"), (2, "EMC", "HGH"), (20, "delivered", "LGG"))
    ]  # fmt: skip
    rows.append({"tracking_number": "LP000000016CN", "code": "accepted", "hub": "HGH",
                 "occurred_at": BOOKED_AT.isoformat()})  # fmt: skip
    rows.append({"tracking_number": numbers[0], "code": "accepted", "hub": "HGH",
                 "occurred_at": "yesterday"})  # fmt: skip
    csv_path = tmp_path / "scans.csv"
    pl.DataFrame(rows).write_csv(csv_path)
    first = ewtp("tracking", "ingest", str(csv_path), "--batch-size", "40", "--format", "json",
                 db_url=db_url, var_dir=tmp_path)  # fmt: skip
    assert first.returncode == 3, first.stderr  # finished with rejected rows
    summary = json.loads(first.stdout)
    assert (summary["accepted"], summary["duplicates"], summary["rejected"]) == (150, 0, 2)
    assert f"row {len(rows) + 1}: occurred_at: must be an ISO 8601 time" in first.stderr  # + header
    assert "row 152: tracking_number: wrong S10 check digit" in first.stderr
    parquet = tmp_path / "scans.parquet"
    pl.DataFrame(rows[:150]).with_columns(
        pl.col("occurred_at").str.to_datetime(time_zone="UTC")
    ).write_parquet(parquet)
    again = ewtp(
        "tracking", "ingest", str(parquet), "--format", "json", db_url=db_url, var_dir=tmp_path
    )
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["duplicates"] == 150
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(TrackingEventRow)) == 150
        assert set(s.scalars(select(ShipmentRow.status))) == {"delivered"}
    engine.dispose()
    missing = tmp_path / "bad.csv"
    missing.write_text("tracking_number,code\nLP000000014CN,accepted\n")
    bad = ewtp("tracking", "ingest", str(missing), db_url=db_url, var_dir=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: file: missing column(s) occurred_at, hub"

"""Customs through the real CLI (subprocess) and the real server (HTTP)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.server import run_server
from unit.customs.fakes import consignment_json, item

pytestmark = pytest.mark.e2e

PARTIES = {
    "declarant": {"name": "Cainiao Liege", "eori": "BE0123456789",
                  "address": {"street": "Rue de l'Aeroport 1", "city": "Grace-Hollogne", "postcode": "4460", "country": "BE"}},
    "consignor": {"name": "Hangzhou Shop Co", "address": {"street": "1 Wensan Rd", "city": "Hangzhou", "postcode": "310000", "country": "CN"}},
    "consignee": {"name": "Marie Dupont", "address": {"street": "2 rue de Rivoli", "city": "Paris", "postcode": "75001", "country": "FR"}},
    "house_awb": "HAWB-0001", "lrn": "LRN-2026-0001",
}  # fmt: skip


def ewtp(
    *args: str, db_url: str, tmp: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EWTP_DATABASE_URL": db_url, "EWTP_VAR_DIR": str(tmp)}
    return subprocess.run(
        [sys.executable, "-m", "ewtp", *args], env=env, capture_output=True, text=True,
        timeout=120, input=stdin,
    )  # fmt: skip


def test_cli_landed_cost_validate_and_bulk(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'e.db'}"
    assert ewtp("db", "upgrade", db_url=db, tmp=tmp_path).returncode == 0
    data = consignment_json(date="2026-11-22", destination_country="FR", seller_ioss="IM0560000001")
    done = ewtp("landed-cost", "-", db_url=db, tmp=tmp_path, stdin=json.dumps(data))
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    # 2 x EUR 10 T-shirts + EUR 5 transport into France, IOSS, after 2026-07-01:
    # duty EUR 3 (one HS6), fee EUR 2 (one line), VAT 20% x (25 + 3 + 2) = 6.00.
    assert (out["duty"], out["fees"], out["vat"], out["landed_cost"]) == (
        "3.00",
        "2.00",
        "6.00",
        "36.00",
    )
    bad = ewtp(
        "landed-cost",
        "-",
        db_url=db,
        tmp=tmp_path,
        stdin=json.dumps({**data, "destination_country": "XX"}),
    )
    assert bad.returncode == 2
    assert bad.stderr.strip().startswith("error: destination_country:")
    assert ewtp("validate", "ioss", "IM0560000001", db_url=db, tmp=tmp_path).returncode == 0
    assert ewtp("validate", "eori", "12", db_url=db, tmp=tmp_path).returncode == 1

    # A TARIC extract adds a subheading; an ECB file adds a newer rate.
    (tmp_path / "taric.csv").write_text(
        "goods_code,rate,description,source\n8524 11 00 00,4.5,test line,TARIC test\n"
    )
    assert (
        ewtp(
            "customs", "tariff", "load", str(tmp_path / "taric.csv"), db_url=db, tmp=tmp_path
        ).returncode
        == 0
    )
    above = consignment_json(date="2026-11-22", items=[item(hs_code="852411", quantity=20)])
    loaded = json.loads(
        ewtp("landed-cost", "-", db_url=db, tmp=tmp_path, stdin=json.dumps(above)).stdout
    )
    assert loaded["duty"] == "9.23"  # 4.5% x (200.00 + 5.00) = 9.225
    (tmp_path / "ecb.csv").write_text("Date,USD,CNY,\n2026-11-18,1.2000,8.0000,\n")
    assert ewtp("fx", "load", str(tmp_path / "ecb.csv"), db_url=db, tmp=tmp_path).returncode == 0
    # A December consignment: the ECB rate of the penultimate Wednesday of November (Art. 146).
    usd = consignment_json(
        date="2026-12-02",
        currency="USD",
        transport_cost="0",
        items=[item(quantity=1, unit_value="12.00")],
    )
    converted = json.loads(
        ewtp("landed-cost", "-", db_url=db, tmp=tmp_path, stdin=json.dumps(usd)).stdout
    )
    assert (converted["intrinsic_value_eur"], converted["exchange_rate_date"]) == (
        "10.00",
        "2026-11-18",
    )

    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["consignment_id", "date", "origin_country", "destination_country", "import_country",
                         "seller_ioss", "currency", "transport_cost", "insurance_cost", "hs_code", "description",
                         "quantity", "unit_value", "item_origin_country", "weight_kg"])  # fmt: skip
        writer.writerow(
            [
                "A",
                "2026-11-22",
                "CN",
                "FR",
                "",
                "IM0560000001",
                "EUR",
                "5.00",
                "0",
                "610910",
                "T-shirt",
                "2",
                "10.00",
                "CN",
                "0.2",
            ]
        )
        writer.writerow(
            [
                "B",
                "2026-11-22",
                "CN",
                "FR",
                "",
                "",
                "EUR",
                "5.00",
                "0",
                "610910",
                "T-shirt",
                "-2",
                "10.00",
                "CN",
                "0.2",
            ]
        )
    run = ewtp(
        "customs",
        "assess",
        str(manifest),
        "--out",
        str(tmp_path / "out.csv"),
        "-f",
        "json",
        db_url=db,
        tmp=tmp_path,
    )
    assert run.returncode == 3, run.stderr  # finished, with one consignment rejected
    assert json.loads(run.stdout)["consignments"] == 2
    rows = list(csv.DictReader((tmp_path / "out.csv").read_text().splitlines()))
    assert rows[0]["landed_cost"] == "36.00"
    assert rows[0]["allowed"] == "true"
    assert rows[1]["allowed"] == "false"
    assert rows[1]["error_message"].startswith("items[0].quantity")


def _key(db_url: str, tmp: Path, role: str = "merchants") -> str:
    made = ewtp(role, "create", "Shop", "-f", "json", db_url=db_url, tmp=tmp)
    assert made.returncode == 0, made.stderr
    return str(json.loads(made.stdout)["api_key"])


def test_http_landed_cost_declarations_and_manifests(db_url: str, tmp_path: Path) -> None:
    key = _key(db_url, tmp_path)
    auth = {"Authorization": f"Bearer {key}"}
    operator = {"Authorization": f"Bearer {_key(db_url, tmp_path, 'operators')}"}
    data: dict[str, Any] = consignment_json(
        date="2026-11-22", destination_country="FR", seller_ioss="IM0560000001"
    )
    with run_server(db_url, tmp_path) as base:
        assert httpx.post(f"{base}/v1/landed-cost", json=data).status_code == 401
        quote = httpx.post(f"{base}/v1/landed-cost", json=data, headers=auth)
        assert quote.status_code == 200, quote.text
        assert quote.json()["landed_cost"] == "36.00"
        bad = httpx.post(
            f"{base}/v1/landed-cost", json={**data, "items": [item(unit_value="-1")]}, headers=auth
        )
        assert bad.status_code == 422
        assert bad.json()["errors"][0]["field"] == "items[0].unit_value"

        declared = httpx.post(
            f"{base}/v1/customs/declarations",
            json={"consignment": data, "parties": PARTIES},
            headers=auth,
        )
        assert declared.status_code == 200, declared.text
        body = declared.json()
        assert (body["declaration_type"], body["valid"]) == ("H7", True)
        assert (
            body["declaration"]["13 16 additional_fiscal_references"][0]["vat_id"] == "IM0560000001"
        )
        assert body["placi"]["house_awb"] == "HAWB-0001"

        fee = {
            "country": "DE",
            "amount": "1.00",
            "per": "parcel",
            "valid_from": "2026-11-01",
            "source": "test",
        }
        assert httpx.post(f"{base}/v1/customs/fees", json=fee, headers=auth).status_code == 403
        assert httpx.post(f"{base}/v1/customs/fees", json=fee, headers=operator).status_code == 201
        de = httpx.post(
            f"{base}/v1/landed-cost", json={**data, "destination_country": "DE"}, headers=auth
        )
        # The operator's EUR 1 per parcel plus the EU handling fee row (EUR 2 per line).
        assert de.json()["fees"] == "3.00"

        csv_text = "consignment_id,date,origin_country,destination_country,import_country,seller_ioss,currency,transport_cost,insurance_cost,hs_code,description,quantity,unit_value,item_origin_country,weight_kg\nA,2026-11-22,CN,FR,,IM0560000001,EUR,5.00,0,610910,T-shirt,2,10.00,CN,0.2\n"
        job = httpx.post(
            f"{base}/v1/customs/manifests",
            files={"file": ("m.csv", csv_text, "text/csv")},
            headers=auth,
        )
        assert job.status_code == 202, job.text
        job_id = job.json()["id"]
        for _ in range(100):
            state = httpx.get(f"{base}/v1/customs/manifests/{job_id}", headers=auth).json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert state["status"] == "done", state
        result = httpx.get(f"{base}{state['result_url']}", headers=auth)
        assert result.status_code == 200
        assert "36.00" in result.text

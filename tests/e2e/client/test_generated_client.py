"""An integrator's journey through a client generated from our own /openapi.json.

The client is generated into a temporary folder by `openapi-python-client` (never committed)
from the live server's document; the journey then uses its typed functions only, with no
raw HTTP. The generator must not print a single warning on our document.
"""

from __future__ import annotations

import importlib
import io
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ewtp.adapters.db.merchant.uow import SqlAlchemyMerchantUnitOfWork
from ewtp.api.schemas.examples import QUOTE_REQUEST
from ewtp.domain.accounts import Role
from ewtp.services.accounts import create_account
from integration.merchant.helpers import NOW, factory, merchant_key, seed_network
from support.server import run_server

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[3]
CONFIG = ROOT / "docs" / "openapi-client.yml"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")


def generate(base: str, out: Path) -> ModuleType:
    """Run the generator as the README says; fail on any warning or error it prints."""
    done = subprocess.run(
        [str(GENERATOR), "generate", "--url", f"{base}/openapi.json", "--meta", "none",
         "--output-path", str(out / "ewtp_client"), "--config", str(CONFIG)],
        cwd=out, capture_output=True, text=True, timeout=240, check=False,
    )  # fmt: skip
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    assert "warning" not in printed.lower(), printed
    assert "error" not in printed.lower(), printed
    sys.path.insert(0, str(out))
    return importlib.import_module("ewtp_client")


@pytest.fixture
def journey(sqlite_template: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    shutil.copy(sqlite_template, tmp_path / "ewtp.db")
    url = f"sqlite:///{tmp_path / 'ewtp.db'}"
    with factory(url) as sessions:
        seed_network(sessions)
        merchant = merchant_key(sessions, "Alice")
        operator = create_account(
            SqlAlchemyMerchantUnitOfWork(sessions), "Hub ops", Role.OPERATOR, NOW
        ).plain
    env = {
        "EWTP_WORKER_IN_PROCESS": "false",
        "EWTP_WEBHOOK_ALLOW_PRIVATE": "1",
        "EWTP_WEBHOOK_ALLOW_HTTP": "1",
    }
    with run_server(url, tmp_path, **env) as base:
        try:
            yield {"base": base, "merchant": merchant, "operator": operator,
                   "client": generate(base, tmp_path)}  # fmt: skip
        finally:
            sys.path.remove(str(tmp_path))
            for name in [m for m in sys.modules if m.split(".")[0] == "ewtp_client"]:
                del sys.modules[name]


def test_the_generated_client_runs_the_integrators_journey(journey: dict[str, Any]) -> None:
    with ExitStack() as stack:
        run_journey(journey, stack)


def run_journey(journey: dict[str, Any], stack: ExitStack) -> None:
    c = journey["client"]
    api = importlib.import_module("ewtp_client.api")
    models = importlib.import_module("ewtp_client.models")
    types = importlib.import_module("ewtp_client.types")
    mods = {
        name: importlib.import_module(f"ewtp_client.api.{group}.{name}")
        for group, name in [
            ("quotes", "create_quote"), ("shipments", "create_shipment"),
            ("shipments", "book_shipment"), ("shipments", "get_label"),
            ("shipments", "list_shipments"), ("shipments", "get_bulk_template"),
            ("shipments", "import_shipments"), ("webhooks", "create_webhook"),
            ("tracking", "post_scans"), ("public_tracking", "track_parcel"),
        ]
    }  # fmt: skip
    assert api is not None
    base = journey["base"]
    merchant = stack.enter_context(c.AuthenticatedClient(base_url=base, token=journey["merchant"]))
    operator = stack.enter_context(c.AuthenticatedClient(base_url=base, token=journey["operator"]))
    anonymous = stack.enter_context(c.Client(base_url=base))

    # 1. quote
    quote = mods["create_quote"].sync(
        client=merchant, body=models.QuoteCreate.from_dict(QUOTE_REQUEST)
    )
    assert isinstance(quote, models.QuotePublic)
    assert quote.options
    # 2. shipment with an Idempotency-Key: the retry is the stored first answer
    body = models.ShipmentFromQuote(quote_option_id=quote.options[0].id)
    first = mods["create_shipment"].sync_detailed(client=merchant, body=body, idempotency_key="o-1")
    again = mods["create_shipment"].sync_detailed(client=merchant, body=body, idempotency_key="o-1")
    assert first.status_code == again.status_code == 201
    assert isinstance(first.parsed, models.ShipmentPublic)
    assert isinstance(again.parsed, models.ShipmentPublic)
    assert again.parsed.id == first.parsed.id
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.parsed.status == models.ShipmentStatus.DRAFT
    # 3. book (no body), then the label bytes
    booked = mods["book_shipment"].sync(first.parsed.id, client=merchant)
    assert isinstance(booked, models.ShipmentPublic)
    assert booked.status == models.ShipmentStatus.BOOKED
    assert isinstance(booked.tracking_number, str)
    label = mods["get_label"].sync(booked.id, client=merchant)
    assert isinstance(label, types.File)
    assert label.payload.read().startswith(b"%PDF-")
    # 4. list
    listed = mods["list_shipments"].sync(client=merchant)
    assert isinstance(listed, models.ShipmentsPublic)
    assert booked.id in {s.id for s in listed.data}
    # 5. register a webhook
    hook = mods["create_webhook"].sync(
        client=merchant,
        body=models.WebhookCreate.from_dict(
            {"url": "http://127.0.0.1:9/hooks", "events": ["shipment.booked"]}
        ),
    )
    assert isinstance(hook, models.WebhookCreatedPublic)
    assert hook.secret
    # 6. scans with the operator key
    scan = {"tracking_number": booked.tracking_number, "code": "accepted",
            "occurred_at": booked.to_dict()["booked_at"], "hub": "HGH"}  # fmt: skip
    posted = mods["post_scans"].sync(
        client=operator, body=models.TrackingEventsCreate.from_dict({"events": [scan]})
    )
    assert isinstance(posted, models.TrackingBatchPublic)
    assert posted.accepted == 1
    # 7. public tracking, with no key at all
    public = mods["track_parcel"].sync(booked.tracking_number, client=anonymous)
    assert isinstance(public, models.PublicTrackingPublic)
    # 8. a bulk CSV upload of the template's own example row
    template = mods["get_bulk_template"].sync(client=anonymous)
    assert isinstance(template, types.File)
    csv = template.payload.read()
    assert csv.count(b"\n") >= 2
    upload = types.File(payload=io.BytesIO(csv), file_name="s.csv", mime_type="text/csv")
    bulk = mods["import_shipments"].sync(
        client=merchant, body=models.BodyImportShipments(file=upload)
    )
    assert isinstance(bulk, models.BulkPublic), bulk
    assert bulk.created == 1
    # 9. a 422 and a 409, each read as a Problem
    parcel = {**QUOTE_REQUEST["parcels"][0], "weight_kg": "-1"}
    bad = models.QuoteCreate.from_dict({**QUOTE_REQUEST, "parcels": [parcel]})
    invalid = mods["create_quote"].sync(client=merchant, body=bad)
    assert isinstance(invalid, models.Problem)
    assert invalid.status == 422
    assert "parcels[0].weight_kg" in {e.field for e in invalid.errors or []}
    draft = mods["create_shipment"].sync(client=merchant, body=body)
    assert isinstance(draft, models.ShipmentPublic)
    conflict = mods["get_label"].sync(draft.id, client=merchant)
    assert isinstance(conflict, models.Problem)
    assert conflict.status == 409

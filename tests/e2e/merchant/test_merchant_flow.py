"""The merchant platform over HTTP against the real server, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pypdfium2
import zxingcpp
from pypdf import PdfReader

from ewtp.api.schemas.examples import QUOTE_REQUEST
from ewtp.domain.s10 import is_valid_s10

from .conftest import Live

MM = 72 / 25.4


def quote(client: httpx.Client, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = client.post("/v1/quotes", json=body or QUOTE_REQUEST)
    assert response.status_code == 201, response.text
    return response.json()


def booked_shipment(client: httpx.Client) -> dict[str, Any]:
    option = quote(client)["options"][0]
    created = client.post("/v1/shipments", json={"quote_option_id": option["id"]})
    assert created.status_code == 201, created.text
    booked = client.post(f"/v1/shipments/{created.json()['id']}/book")
    assert booked.status_code == 200, booked.text
    return booked.json()


def decode_barcodes(pdf: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(pdf)[0]
    image = page.render(scale=4).to_pil()
    return [found.text for found in zxingcpp.read_barcodes(image)]


def ready_tomorrow_noon() -> str:
    """A ready time at which the built-in timetable offers express first on every day of
    the week; ready "now" offers only standard at some hours (e.g. 05:00 UTC)."""
    noon = (datetime.now(UTC) + timedelta(days=1)).replace(hour=12, minute=0, second=0)
    return noon.replace(microsecond=0).isoformat()


def test_quote_book_label_customs_cancel(live: Live) -> None:
    q = quote(live.alice, {**QUOTE_REQUEST, "ready_at": ready_tomorrow_noon()})
    levels = [o["service_level"] for o in q["options"]]
    assert levels[0] == "express"
    assert set(levels) <= {"express", "standard", "economy"}
    for option in q["options"]:
        price = option["price"]
        parts = ("transport", "duty", "vat", "consumption_tax", "fees")
        assert sum(float(price[p]) for p in parts) == float(price["total"])
        assert float(price["vat"]) > 0  # DDP into France: VAT is in the price
        assert option["legs"][0]["origin"] == "HGH"
        assert option["legs"][-1]["destination"] == "CDG"  # the Paris road hub
    dap = quote(live.alice, {**QUOTE_REQUEST, "incoterm": "DAP"})
    assert all(o["price"]["total"] == o["price"]["transport"] for o in dap["options"])

    option = q["options"][0]
    created = live.alice.post("/v1/shipments", json={"quote_option_id": option["id"]}).json()
    assert created["status"] == "draft"
    booked = live.alice.post(f"/v1/shipments/{created['id']}/book").json()
    number = booked["tracking_number"]
    assert booked["status"] == "booked"
    assert re.fullmatch(r"EE\d{9}CN", number)
    assert is_valid_s10(number)
    assert booked["price"] == option["price"]
    assert booked["delivered_by"] == option["delivered_by"]

    label = live.alice.get(f"/v1/shipments/{created['id']}/label")
    assert label.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(label.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (100, 150)
    text = reader.pages[0].extract_text()
    for expected in (number, "Marie Dupont", "Hangzhou Gadgets Co", "HGH", "CDG-FR-75", "DDP"):
        assert expected in text
    assert decode_barcodes(label.content) == [number]

    customs = live.alice.get(f"/v1/shipments/{created['id']}/customs").json()
    assert customs["tracking_number"] == number
    records = customs["records"]
    assert records["declaration_type"] == "H7"
    assert records["declarations"]["declaration_type"] == "H7"
    assert number in str(records["declarations"]["placi"])  # house AWB = tracking number

    public = live.alice.get(f"/v1/track/{number}").json()  # before the first scan
    assert public["status"] == "booked"
    assert public["expected_delivery"] == option["delivered_by"]  # the booked express plan
    assert [step["hub"] for step in public["route"]] == [
        leg["origin"] for leg in option["legs"]
    ] + [option["legs"][-1]["destination"]]

    listed = live.alice.get("/v1/shipments", params={"status": "booked"}).json()
    assert [s["id"] for s in listed["data"]] == [created["id"]]
    found = live.alice.get("/v1/shipments", params={"tracking_number": number}).json()
    assert found["count"] == 1
    wrong = number[:10] + str((int(number[10]) + 1) % 10) + number[11:]
    refused = live.alice.get("/v1/shipments", params={"tracking_number": wrong})
    assert refused.status_code == 422
    assert "check digit" in refused.json()["detail"]

    assert live.alice.post(f"/v1/shipments/{created['id']}/book").status_code == 409
    cancelled = live.alice.post(f"/v1/shipments/{created['id']}/cancel")
    assert cancelled.json()["status"] == "cancelled"
    again = live.alice.post(f"/v1/shipments/{created['id']}/cancel")
    assert again.status_code == 409
    assert "already cancelled" in again.json()["detail"]


def test_every_merchant_endpoint_hides_other_merchants_ids(live: Live) -> None:
    theirs = booked_shipment(live.bob)
    their_quote = quote(live.bob)
    mine = live.alice.post("/v1/shipments", json=QUOTE_REQUEST).json()
    missing = str(uuid.uuid4())
    sweep = {
        ("GET", "/v1/quotes/{quote_id}"): lambda i: live.alice.get(f"/v1/quotes/{i}"),
        ("GET", "/v1/shipments/{shipment_id}"): lambda i: live.alice.get(f"/v1/shipments/{i}"),
        ("POST", "/v1/shipments/{shipment_id}/book"): lambda i: live.alice.post(
            f"/v1/shipments/{i}/book"
        ),
        ("POST", "/v1/shipments/{shipment_id}/cancel"): lambda i: live.alice.post(
            f"/v1/shipments/{i}/cancel"
        ),
        ("GET", "/v1/shipments/{shipment_id}/label"): lambda i: live.alice.get(
            f"/v1/shipments/{i}/label"
        ),
        ("GET", "/v1/shipments/{shipment_id}/customs"): lambda i: live.alice.get(
            f"/v1/shipments/{i}/customs"
        ),
        ("PATCH", "/v1/shipments/{shipment_id}"): lambda i: live.alice.patch(
            f"/v1/shipments/{i}", json={"reference": "MINE-NOW"}
        ),
        # added by the tracking capability on the same resource
        ("GET", "/v1/shipments/{shipment_id}/tracking"): lambda i: live.alice.get(
            f"/v1/shipments/{i}/tracking"
        ),
    }
    ids = {"quote_id": their_quote["id"], "shipment_id": theirs["id"]}
    for (_method, path), call in sweep.items():
        their_id = ids["quote_id" if "quote_id" in path else "shipment_id"]
        other, absent = call(their_id), call(missing)
        assert other.status_code == absent.status_code == 404, path
        assert other.json()["detail"] == absent.json()["detail"], path
    # ids inside bodies and queries: another merchant's quote option and tracking number
    option_id = their_quote["options"][0]["id"]
    for body_call in (
        lambda i: live.alice.post("/v1/shipments", json={"quote_option_id": i}),
        lambda i: live.alice.post(f"/v1/shipments/{mine['id']}/book", json={"quote_option_id": i}),
    ):
        other, absent = body_call(option_id), body_call(missing)
        assert other.status_code == absent.status_code == 404
        assert other.json()["detail"] == absent.json()["detail"]
    # ids of a batch: refused one by one (bulk booking) or as a whole (labels), as missing ones
    batch = lambda i: live.alice.post("/v1/shipments/bulk/book", json={"ids": [i]})  # noqa: E731
    other_error = batch(theirs["id"]).json()["results"][0]["error"]
    assert other_error == batch(missing).json()["results"][0]["error"]
    assert other_error["code"] == "not_found"
    labels = lambda i: live.alice.get("/v1/shipments/labels", params={"ids": i})  # noqa: E731
    other, absent = labels(theirs["id"]), labels(missing)
    assert other.status_code == absent.status_code == 404
    assert other.json()["detail"] == absent.json()["detail"]
    listed = live.alice.get("/v1/shipments", params={"tracking_number": theirs["tracking_number"]})
    assert listed.json()["data"] == []
    assert theirs["id"] not in {s["id"] for s in live.alice.get("/v1/shipments").json()["data"]}
    # the sweep covers every merchant operation with an id in its path
    spec = httpx.get(f"{live.base}/openapi.json").json()
    with_ids = {
        (method.upper(), path)
        for path, ops in spec["paths"].items()
        if path.startswith(("/v1/quotes", "/v1/shipments")) and "{" in path
        for method in ops
    }
    assert with_ids == set(sweep)
    assert live.bob.get(f"/v1/shipments/{theirs['id']}").json()["status"] == "booked"


def test_merchant_endpoints_need_a_merchant_key(live: Live) -> None:
    anonymous = httpx.post(f"{live.base}/v1/quotes", json=QUOTE_REQUEST)
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"] == "Bearer"
    wrong = httpx.get(f"{live.base}/v1/shipments", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    operator = {"Authorization": f"Bearer {live.operator_key}"}
    assert httpx.get(f"{live.base}/v1/shipments", headers=operator).status_code == 403


def test_idempotent_replays_and_concurrent_duplicates(live: Live) -> None:
    key = {"Idempotency-Key": "order-1001"}
    first = live.alice.post("/v1/shipments", json=QUOTE_REQUEST, headers=key)
    replay = live.alice.post("/v1/shipments", json=QUOTE_REQUEST, headers=key)
    assert first.status_code == replay.status_code == 201
    assert replay.json() == first.json()
    assert replay.headers["idempotent-replayed"] == "true"
    changed = live.alice.post(
        "/v1/shipments", json={**QUOTE_REQUEST, "incoterm": "DAP"}, headers=key
    )
    assert changed.status_code == 422
    assert "different request body" in changed.json()["detail"]
    # the same key is another merchant's own business
    assert (
        live.bob.post("/v1/shipments", json=QUOTE_REQUEST, headers=key).json()["id"]
        != (first.json()["id"])
    )

    def post(_: int) -> httpx.Response:
        return live.alice.post(
            "/v1/shipments", json=QUOTE_REQUEST, headers={"Idempotency-Key": "twins"}
        )

    before = live.alice.get("/v1/shipments").json()["count"]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(post, range(4)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert live.alice.get("/v1/shipments").json()["count"] == before + 1

    shipment_id = first.json()["id"]
    book_key = {"Idempotency-Key": "book-1"}
    booked = live.alice.post(f"/v1/shipments/{shipment_id}/book", headers=book_key)
    rebooked = live.alice.post(f"/v1/shipments/{shipment_id}/book", headers=book_key)
    assert booked.status_code == rebooked.status_code == 200
    assert rebooked.json()["tracking_number"] == booked.json()["tracking_number"]


def test_bulk_upload_good_and_bad_rows_atomic_and_replay(live: Live) -> None:
    template = live.alice.get("/v1/shipments/bulk/template")
    assert template.headers["content-type"].startswith("text/csv")
    header, row = template.text.strip().splitlines()
    bad = row.replace(",610910,", ",61,")
    text = "\n".join([header, row, bad, row.replace("ORDER-1001", "ORDER-1002")]) + "\n"

    def upload(params: dict[str, str] | None = None, key: str | None = None) -> httpx.Response:
        return live.alice.post(
            "/v1/shipments/bulk",
            params=params,
            files={"file": ("orders.csv", text.encode(), "text/csv")},
            headers={"Idempotency-Key": key} if key else {},
        )

    count = lambda: live.alice.get("/v1/shipments", params={"limit": 100}).json()["count"]  # noqa: E731
    atomic = upload({"atomic": "true"})
    assert atomic.status_code == 422
    assert atomic.json()["errors"] == [
        {"row": 3, "field": "hs_code", "message": "must be 6 to 10 digits"}
    ]
    assert count() == 0
    partial = upload(key="bulk-1")
    assert partial.status_code == 201
    body = partial.json()
    assert body["created"] == 2
    assert [s["reference"] for s in body["shipments"]] == ["ORDER-1001", "ORDER-1002"]
    assert body["errors"] == atomic.json()["errors"]
    again = upload(key="bulk-1")
    assert again.json() == body
    assert count() == 2
    huge = live.alice.post(
        "/v1/shipments/bulk",
        files={"file": ("big.csv", b"x" * (10 * 1024 * 1024 + 1), "text/csv")},
    )
    assert huge.status_code == 413
    assert "10 MB" in huge.json()["detail"]


def test_rate_limit_answers_429_with_retry_after(db_url: str, tmp_path: Any) -> None:
    from .conftest import live_server

    env = {"EWTP_RATE_LIMIT_BURST": "3", "EWTP_RATE_LIMIT_PER_SECOND": "0.2"}
    for server in live_server(db_url, tmp_path, **env):
        codes = [server.alice.get("/v1/shipments").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = server.alice.get("/v1/shipments")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.headers["content-type"] == "application/problem+json"
        assert server.bob.get("/v1/shipments").status_code == 200  # per key

"""A merchant's first week through the HTTP API in-process, on SQLite and PostgreSQL:
warnings where merchants see them, one error grammar, draft edits and batch actions."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pypdf import PdfReader

from ewtp.api.schemas.examples import QUOTE_REQUEST as EXAMPLE_REQUEST
from integration.merchant.helpers import factory, merchant_api

Client = tuple[Any, dict[str, str]]


@pytest.fixture
def api(db_url: str) -> Iterator[Client]:
    with factory(db_url) as sessions, merchant_api(db_url, sessions) as pair:
        yield pair


def body(**changes: Any) -> dict[str, Any]:
    found = copy.deepcopy(EXAMPLE_REQUEST)
    noon = (datetime.now(UTC) + timedelta(days=1)).replace(hour=12, minute=0, second=0)
    found["ready_at"] = noon.replace(microsecond=0).isoformat()
    found.update(changes)
    return found


def with_battery() -> dict[str, Any]:
    found = body()
    item = found["parcels"][0]["items"][0]
    item.update(description="Bluetooth speaker", hs_code="851822",
                battery={"un_number": "UN3481", "watt_hours": "10"})  # fmt: skip
    return found


def draft(api: Client, request: dict[str, Any] | None = None) -> dict[str, Any]:
    client, auth = api
    made = client.post("/v1/shipments", json=request or body(), headers=auth)
    assert made.status_code == 201, made.text
    return dict(made.json())


def test_a_battery_warning_reaches_the_quote_the_shipment_and_the_label(api: Client) -> None:
    client, auth = api
    quote = client.post("/v1/quotes", json=with_battery(), headers=auth)
    assert quote.status_code == 201, quote.text
    for option in quote.json()["options"]:
        codes = {(w["code"], w["field"]) for w in option["warnings"]}
        assert ("battery_section_ii", "parcels[0].items[0]") in codes
    made = client.post(
        "/v1/shipments", json={"quote_option_id": quote.json()["options"][0]["id"]}, headers=auth
    )
    booked = client.post(f"/v1/shipments/{made.json()['id']}/book", headers=auth)
    assert booked.status_code == 200, booked.text
    assert "battery_section_ii" in {w["code"] for w in booked.json()["warnings"]}
    label = client.get(f"/v1/shipments/{made.json()['id']}/label", headers=auth)
    text = PdfReader(io.BytesIO(label.content)).pages[0].extract_text()
    assert "LITHIUM BATTERY" in text
    assert "UN3481" in text


def test_one_error_grammar_for_quotes(api: Client) -> None:
    client, auth = api
    lower = body()
    lower["recipient"] = {**lower["recipient"], "country": "fr"}
    lower["parcels"][0]["items"][0]["hs_code"] = "6109.10"
    assert client.post("/v1/quotes", json=lower, headers=auth).status_code == 201

    def refused(request: dict[str, Any]) -> list[dict[str, Any]]:
        answer = client.post("/v1/quotes", json=request, headers=auth)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        return list(answer.json()["errors"])

    unknown = body()
    unknown["recipient"] = {**unknown["recipient"], "country": "XX"}
    assert refused(unknown)[0]["field"] == "recipient.country"
    heavy = body()
    heavy["parcels"][0]["weight_kg"] = "5000"
    assert refused(heavy)[0]["field"] == "parcels[0].weight_kg"
    nul = body()
    nul["recipient"] = {**nul["recipient"], "name": "Marie\u0000Dupont"}
    assert refused(nul)[0]["field"] == "recipient.name"
    two = body()
    second = copy.deepcopy(two["parcels"][0])
    second["items"][0]["currency"] = "USD"
    two["parcels"].append(second)
    assert refused(two)[0]["field"] == "parcels[1].items[0].currency"
    alone = body()
    loose = copy.deepcopy(alone["parcels"][0])
    loose["items"][0].update(description="Spare power bank cells", hs_code="850760",
                             battery={"un_number": "UN3480", "watt_hours": "50"})  # fmt: skip
    alone["parcels"].append(loose)
    # The customs engine numbers item lines across parcels; the merchant sees its own path.
    assert refused(alone)[0]["field"] == "parcels[1].items[0]"


def test_a_draft_is_edited_found_by_reference_and_frozen_once_booked(api: Client) -> None:
    client, auth = api
    shipment = draft(api)
    edited = client.patch(
        f"/v1/shipments/{shipment['id']}", json={"reference": "ORDER-77"}, headers=auth
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["reference"] == "ORDER-77"
    assert edited.json()["recipient"] == shipment["recipient"]
    found = client.get("/v1/shipments", params={"reference": "ORDER-77"}, headers=auth).json()
    assert [s["id"] for s in found["data"]] == [shipment["id"]]
    other = client.get("/v1/shipments", params={"reference": "ORDER-78"}, headers=auth).json()
    assert other["count"] == 0
    bad = client.patch(
        f"/v1/shipments/{shipment['id']}",
        json={"recipient": {**shipment["recipient"], "country": "XX"}},
        headers=auth,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "recipient.country"
    assert client.post(f"/v1/shipments/{shipment['id']}/book", headers=auth).status_code == 200
    late = client.patch(f"/v1/shipments/{shipment['id']}", json={"reference": "X"}, headers=auth)
    assert late.status_code == 409


def test_bulk_booking_and_one_pdf_of_labels(api: Client) -> None:
    client, auth = api
    ids = [draft(api)["id"], draft(api)["id"]]
    answer = client.post(
        "/v1/shipments/bulk/book", json={"ids": [*ids, "no-such-id"]}, headers=auth
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert (result["booked"], result["failed"]) == (2, 1)
    assert result["results"][2]["error"]["code"] == "not_found"
    numbers = [r["shipment"]["tracking_number"] for r in result["results"][:2]]
    pdf = client.get("/v1/shipments/labels", params={"ids": f"{ids[1]},{ids[0]}"}, headers=auth)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages]
    assert len(pages) == 2
    assert numbers[1] in pages[0]
    assert numbers[0] in pages[1]
    assert client.post(f"/v1/shipments/{ids[0]}/cancel", headers=auth).status_code == 200
    void = client.get("/v1/shipments/labels", params={"ids": ",".join(ids)}, headers=auth)
    assert void.status_code == 409
    assert void.json()["type"] == "urn:ewtp:problem:shipment_cancelled"
    assert void.json()["errors"] == [
        {"field": "ids[0]", "reason": "the shipment was cancelled: its label is void"}
    ]
    for path in ("label", "customs"):
        gone = client.get(f"/v1/shipments/{ids[0]}/{path}", headers=auth)
        assert gone.status_code == 409
        assert gone.json()["type"] == "urn:ewtp:problem:shipment_cancelled"


def test_bulk_upload_reports_screening_warnings_by_file_line(api: Client) -> None:
    client, auth = api
    template = client.get("/v1/shipments/bulk/template", headers=auth).text
    header, row = template.strip().splitlines()
    columns = header.split(",")
    cells = dict(zip(columns, row.split(","), strict=False))
    battery = {**cells, "item_description": "Bluetooth speaker", "hs_code": "851822",
               "battery_un_number": "UN3481", "battery_watt_hours": "10"}  # fmt: skip
    lines = [header, row, ",".join(battery.get(c, "") for c in columns)]
    upload = client.post(
        "/v1/shipments/bulk",
        files={"file": ("orders.csv", ("\n".join(lines) + "\n").encode(), "text/csv")},
        headers=auth,
    )
    assert upload.status_code == 201, upload.text
    warnings = upload.json()["warnings"]
    assert {(w["row"], w["code"]) for w in warnings} == {(3, "battery_section_ii")}


def test_keyset_pages_walk_every_shipment_once_newest_first(api: Client) -> None:
    client, auth = api
    made = [draft(api)["id"] for _ in range(5)]
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 2}
    for _ in range(5):  # 5 drafts in pages of 2 end within 3 pages; a loop would overrun
        page = client.get("/v1/shipments", params=params, headers=auth)
        assert page.status_code == 200, page.text
        seen += [s["id"] for s in page.json()["data"]]
        if page.json()["next_cursor"] is None:
            break
        params = {"limit": 2, "cursor": page.json()["next_cursor"]}
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(set(seen))
    created = {s["id"]: s["created_at"] for s in client.get(
        "/v1/shipments", params={"limit": 10}, headers=auth).json()["data"]}  # fmt: skip
    assert [created[i] for i in seen] == sorted(created.values(), reverse=True)
    bad = client.get("/v1/shipments", params={"cursor": "not-a-cursor"}, headers=auth)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "cursor"

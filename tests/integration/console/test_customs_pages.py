"""The console's customs pages on SQLite and PostgreSQL: who may see them, fee rows added
and ended from the page (each with its audit entry naming the operator user), the same
audit through the API, errors next to the field they name, the rules in force equal to
`GET /v1/customs/rules`, and a manifest job uploaded from the page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from ewtp.adapters.db.engine import make_engine, make_session_factory
from ewtp.api.app import create_app
from ewtp.config import Settings
from support.console import OPERATOR_EMAIL, make_operator
from support.web import csrf_of, sign_in, sign_up

PAGES = ["/console/customs", "/console/customs/manifests", "/console/customs/fees",
         "/console/customs/rules",
         "/console/customs/rules?on=2026-12-01&country=FR"]  # fmt: skip
HEADER = ("consignment_id,date,origin_country,destination_country,import_country,seller_ioss,"
          "currency,transport_cost,insurance_cost,hs_code,description,quantity,unit_value,"
          "item_origin_country,weight_kg\n")  # fmt: skip
# Three consignments; C has an HS code that does not exist, so it cannot be assessed.
MANIFEST = HEADER + (
    "A,2026-11-22,CN,FR,,IM0560000001,EUR,5.00,0,610910,T-shirt,2,10.00,CN,0.2\n"
    "B,2026-11-22,CN,DE,,IM0560000001,EUR,5.00,0,610910,T-shirt,1,12.00,CN,0.2\n"
    "B,2026-11-22,CN,DE,,IM0560000001,EUR,5.00,0,851830,Headphones,1,25.00,CN,0.3\n"
    "C,2026-11-22,CN,FR,,IM0560000001,EUR,5.00,0,999999,Nothing,1,10.00,CN,0.1\n"
)


@pytest.fixture
def client_and_key(db_url: str) -> Iterator[tuple[TestClient, str]]:
    engine = make_engine(db_url)
    key = make_operator(make_session_factory(engine)).plain
    engine.dispose()
    settings = Settings(database_url=db_url, worker_in_process=False, password_hash_fast=True)
    with TestClient(create_app(settings)) as c:
        yield c, key


def form_token(client: TestClient, path: str = "/console/customs/fees") -> str:
    return csrf_of(client.get(path).text)


def fee_form(token: str, **changes: str) -> dict[str, str]:
    base = {"csrf_token": token, "country": "DE", "amount": "1.50", "currency": "EUR",
            "per": "parcel", "lvc_only": "on", "valid_from": "2027-01-01", "valid_to": "",
            "source": "Test notice 2027/1"}  # fmt: skip
    return base | changes


def test_only_operators_see_the_customs_pages(client_and_key: tuple[TestClient, str]) -> None:
    client, _ = client_and_key
    for path in PAGES:
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
    sign_up(client, "owner@shop.example")
    token = csrf_of(client.get("/app").text)
    for path in PAGES:
        assert client.get(path, follow_redirects=False).status_code == 403, path
    for path in ("/console/customs/fees", "/console/customs/fees/1/end"):
        answer = client.post(path, data=fee_form(token, valid_to="2027-02-01"))
        assert answer.status_code == 403, path
    client.cookies.clear()
    sign_in(client, OPERATOR_EMAIL)
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_fee_rows_added_and_ended_on_the_page_are_audited_with_the_user(
    client_and_key: tuple[TestClient, str],
) -> None:
    client, key = client_and_key
    auth = {"Authorization": f"Bearer {key}"}
    sign_in(client, OPERATOR_EMAIL)
    added = client.post("/console/customs/fees", data=fee_form(form_token(client)),
                        follow_redirects=False)  # fmt: skip
    assert added.status_code == 303, added.text
    rows = client.get("/v1/customs/fees", headers=auth).json()["data"]
    ours = [r for r in rows if r["id"] is not None]
    assert [(r["country"], r["amount"], r["valid_to"]) for r in ours] == [("DE", "1.5000", None)]
    fee_id = ours[0]["id"]

    # The same row again is refused, the reason next to valid_from; nothing is written.
    again = client.post("/console/customs/fees", data=fee_form(form_token(client)))
    assert again.status_code == 422
    assert re.search(r'data-field="valid_from">[^<]*overlaps operator fee', again.text)
    ended = client.post(f"/console/customs/fees/{fee_id}/end",
                        data={"csrf_token": form_token(client), "valid_to": "2027-03-31"},
                        follow_redirects=False)  # fmt: skip
    assert ended.status_code == 303, ended.text

    audit = client.get("/v1/customs/fees/audit", headers=auth).json()["data"]
    assert [(e["action"], e["actor"], e["fee_id"]) for e in audit] == [
        ("end", OPERATOR_EMAIL, fee_id), ("add", OPERATOR_EMAIL, fee_id),
    ]  # fmt: skip
    page = client.get("/console/customs/fees").text
    drawn = re.findall(r'<tr data-action="(\w+)" data-fee="(\d+)"><td>[^<]*</td>'
                       r'<td class="actor">([^<]+)</td>', page)  # fmt: skip
    assert drawn == [("end", str(fee_id), OPERATOR_EMAIL), ("add", str(fee_id), OPERATOR_EMAIL)]
    assert "2027-01-01 to 2027-03-31" in page

    # Through the API the entry names the key; a merchant key may not end a row.
    patched = client.patch(f"/v1/customs/fees/{fee_id}", json={"valid_to": "2027-02-28"},
                           headers=auth)  # fmt: skip
    assert patched.status_code == 200, patched.text
    assert patched.json()["valid_to"] == "2027-02-28"
    newest = client.get("/v1/customs/fees/audit", headers=auth).json()["data"][0]
    assert newest["actor"].startswith("API key ")
    assert newest["action"] == "end"
    assert client.patch("/v1/customs/fees/999", json={"valid_to": "2027-02-28"},
                        headers=auth).status_code == 404  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"amount": "abc"}, "amount"), ({"amount": "0"}, "amount"), ({"country": "US"}, "country"),
     ({"valid_from": "2027-13-01"}, "valid_from"), ({"valid_to": "2026-01-01"}, "valid_to"),
     ({"per": "box"}, "per"), ({"source": " "}, "source")],
)  # fmt: skip
def test_a_bad_fee_form_names_the_field_and_writes_nothing(
    client_and_key: tuple[TestClient, str], changes: dict[str, str], field: str
) -> None:
    client, key = client_and_key
    sign_in(client, OPERATOR_EMAIL)
    answer = client.post("/console/customs/fees", data=fee_form(form_token(client), **changes))
    assert answer.status_code == 422
    assert f'data-field="{field}"' in answer.text
    assert client.get("/v1/customs/fees/audit",
                      headers={"Authorization": f"Bearer {key}"}).json()["count"] == 0  # fmt: skip


def test_the_rules_page_lists_what_the_api_lists(client_and_key: tuple[TestClient, str]) -> None:
    client, key = client_and_key
    sign_in(client, OPERATOR_EMAIL)
    for query in ("on=2026-12-01&country=FR", "on=2026-12-01&country=CN", "on=2026-06-30"):
        api = client.get(f"/v1/customs/rules?{query}",
                         headers={"Authorization": f"Bearer {key}"}).json()  # fmt: skip
        page = client.get(f"/console/customs/rules?{query}").text
        drawn = re.findall(r'<tr data-kind="([^"]+)" data-country="([A-Z]+)">', page)
        assert drawn == [(r["kind"], r["country"]) for r in api["data"]]
        assert api["count"] > 0
        for rule in api["data"]:
            assert str(escape(rule["source"])) in page
            assert str(escape(rule["rule"])) in page
    bad = client.get("/console/customs/rules?on=2026-02-30")
    assert bad.status_code == 422
    assert 'data-field="on"' in bad.text
    bad = client.get("/console/customs/rules?on=2026-12-01&country=US")
    assert bad.status_code == 422
    assert 'data-field="country"' in bad.text


def test_a_manifest_uploaded_on_the_page_runs_to_its_result(
    client_and_key: tuple[TestClient, str],
) -> None:
    client, key = client_and_key
    sign_in(client, OPERATOR_EMAIL)
    token = form_token(client, "/console/customs")
    wrong = client.post("/console/customs/manifests", data={"csrf_token": token},
                        files={"file": ("m.txt", b"x", "text/plain")})  # fmt: skip
    assert wrong.status_code == 422
    assert 'data-field="file"' in wrong.text
    sent = client.post("/console/customs/manifests", data={"csrf_token": token},
                       files={"file": ("m.csv", MANIFEST.encode(), "text/csv")},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303, sent.text
    job_id = sent.headers["location"].rsplit("/", 1)[-1]
    api = client.get(f"/v1/customs/manifests/{job_id}",
                     headers={"Authorization": f"Bearer {key}"}).json()  # fmt: skip
    assert (api["status"], api["consignments"], api["rejected"]) == ("done", 3, 1)
    assert api["rows_done"] == 4
    fragment = client.get(f"/console/customs/manifests/{job_id}/status").text
    assert 'data-status="done" data-consignments="3" data-rejected="1"' in fragment
    assert "hx-trigger" not in fragment  # a finished job stops polling
    result = client.get(f"/console/customs/manifests/{job_id}/result")
    assert result.status_code == 200
    assert sorted(line.split(",")[0] for line in result.text.splitlines()[1:]) == ["A", "B", "C"]
    assert job_id in client.get("/console/customs").text
    rows = client.get("/console/customs/manifests").text  # the list's polled rows
    assert f'<tr data-job="{job_id}" data-status="done">' in rows
    assert "hx-trigger" not in rows  # nothing left running: the list stops polling
    assert client.get("/console/customs/manifests/not-a-job").status_code == 404


def test_the_pages_speak_chinese_to_a_chinese_browser(
    client_and_key: tuple[TestClient, str],
) -> None:
    client, _ = client_and_key
    sign_in(client, OPERATOR_EMAIL)
    zh = {"Accept-Language": "zh-CN,zh;q=0.9"}
    fees = client.get("/console/customs/fees", headers=zh).text
    assert "国家费用" in fees
    assert "添加费用行" in fees
    assert "现行规则" in client.get("/console/customs/rules", headers=zh).text
    assert "按运单号查找包裹" in client.get("/console/tracking", headers=zh).text
    bad = client.get("/console/customs/rules?on=2026-12-01&country=U1", headers=zh)
    assert "必须是两个字母的国家代码" in bad.text

"""The OpenAPI document, checked as a client generator reads it, over every route in the app.

Routes merged later are covered too: nothing here lists routes by hand.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from openapi_spec_validator import validate

from ewtp.api.admission import EXEMPT as ADMISSION_EXEMPT
from ewtp.api.app import create_app
from ewtp.api.openapi import answerable_statuses
from ewtp.api.problems import PROBLEM_JSON, STATUS_BY_ERROR
from ewtp.config import Settings

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
# Answered whatever the route: body limit, rate limit, unexpected error, at capacity.
HANDLER_STATUSES = {413, 429, 500, 503}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    url = f"sqlite:///{tmp_path_factory.mktemp('oa') / 'doc.db'}"
    return create_app(Settings(database_url=url))


@pytest.fixture(scope="module")
def doc(app: FastAPI) -> dict[str, Any]:
    return app.openapi()


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            yield method, path, operation


def test_the_document_is_valid_openapi(doc: dict[str, Any]) -> None:
    validate(doc)


def test_component_titles_are_unique(doc: dict[str, Any]) -> None:
    titles = Counter(s.get("title", name) for name, s in doc["components"]["schemas"].items())
    assert [t for t, n in titles.items() if n > 1] == []
    # and the component names are the titles, not module-qualified fallbacks
    assert [n for n, s in doc["components"]["schemas"].items() if s.get("title", n) != n] == []


def test_operation_ids_are_short_unique_camel_case(doc: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids))
    # a verb and what it acts on: a bare function name (`patch`, `labels`) needs `name=`
    assert [i for i in ids if not re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)+", i)] == []
    assert [i for i in ids if len(i) > 24] == []
    assert {"createQuote", "bookShipment", "listDeliveries", "postScans"} <= set(ids)
    assert {"getLabels", "bookShipments", "updateShipment", "searchRoutesBatch"} <= set(ids)


def _own_models(app: FastAPI) -> set[tuple[str, str, str]]:
    """(method, path, code) a route answers with a model of its own (/health's 503)."""
    return {
        (method.lower(), str(context.path), str(code))
        for context in iter_route_contexts(app.routes)
        if isinstance(route := context.original_route, APIRoute)
        for method in route.methods or ()
        for code, response in route.responses.items()
        if "model" in response
    }


def test_every_error_is_a_problem_and_fastapi_validation_schema_is_gone(
    app: FastAPI, doc: dict[str, Any]
) -> None:
    own = _own_models(app)
    assert ("get", "/health", "503") in own
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    assert set(doc["components"]["schemas"]["Problem"]["required"]) >= {
        "type", "title", "status", "detail", "instance",
    }  # fmt: skip
    for method, path, op in operations(doc):
        for code, response in op["responses"].items():
            if int(code) >= 400 and (method, path, code) not in own:
                assert response["content"] == {PROBLEM_JSON: {"schema": PROBLEM_REF}}, (
                    method, path, code,
                )  # fmt: skip


def test_declared_statuses_are_the_ones_the_server_can_answer(
    app: FastAPI, doc: dict[str, Any]
) -> None:
    possible = set(STATUS_BY_ERROR.values()) | HANDLER_STATUSES
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            op = doc["paths"][context.path][method.lower()]
            declared = {int(c) for c in op["responses"] if int(c) >= 400}
            assert declared == answerable_statuses(route), (method, context.path)
            assert declared <= possible, (method, context.path)
            params = {p["in"] for p in op.get("parameters", [])}
            if params or "requestBody" in op:
                assert 422 in declared, (method, context.path)
            if "path" in params:
                assert 404 in declared, (method, context.path)
            if op.get("security"):  # every key is charged its rate limit (http/deps)
                assert {401, 403, 429} <= declared, (method, context.path)
            if not str(context.path).startswith(ADMISSION_EXEMPT):  # api/admission.py
                assert 503 in declared, (method, context.path)
            assert 500 in declared
    health = doc["paths"]["/health"]["get"]["responses"]["503"]
    assert health["content"]["application/json"]["schema"]["$ref"].endswith("/HealthPublic")


def test_headers_are_declared(doc: dict[str, Any]) -> None:
    keyed = 0
    for _, _, op in operations(doc):
        names = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        if "Idempotency-Key" in names:
            keyed += 1
            for code, response in op["responses"].items():
                if code.startswith("2"):
                    assert "Idempotent-Replayed" in response["headers"]
        for code in ("429", "503"):
            response = op["responses"].get(code, {})
            if PROBLEM_JSON in response.get("content", {}):
                assert "Retry-After" in response["headers"], code
    assert keyed >= 4  # create, book, cancel shipments and the bulk upload


def test_binary_bodies_and_the_plain_optional_booking_body(doc: dict[str, Any]) -> None:
    paths = doc["paths"]
    label = paths["/v1/shipments/{shipment_id}/label"]["get"]["responses"]["200"]["content"]
    assert label == {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}
    template = paths["/v1/shipments/bulk/template"]["get"]["responses"]["200"]["content"]
    assert template["text/csv"]["schema"]["format"] == "binary"
    for _, path, op in operations(doc):
        form = op.get("requestBody", {}).get("content", {}).get("multipart/form-data")
        if form:
            name = form["schema"]["$ref"].rsplit("/", 1)[-1]
            props = doc["components"]["schemas"][name]["properties"]
            assert any(p.get("format") == "binary" for p in props.values()), path
    book = paths["/v1/shipments/{shipment_id}/book"]["post"]["requestBody"]
    assert book["required"] is False
    assert book["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/BookCreate"
    }


def _examples(node: Any) -> Iterator[tuple[dict[str, Any], Any]]:
    """(schema, example) pairs: media types and parameters, and JSON Schema `examples`."""
    if isinstance(node, dict):
        if "schema" in node and isinstance(node["schema"], dict):
            if "example" in node:
                yield node["schema"], node["example"]
            for example in (node.get("examples") or {}).values():
                if isinstance(example, dict) and "value" in example:
                    yield node["schema"], example["value"]
        if isinstance(node.get("examples"), list) and ("type" in node or "properties" in node):
            for example in node["examples"]:
                yield node, example
        for value in node.values():
            yield from _examples(value)
    elif isinstance(node, list):
        for value in node:
            yield from _examples(value)


def test_every_example_is_valid_against_its_schema(doc: dict[str, Any]) -> None:
    checked = 0
    for schema, example in _examples(doc):
        rooted = {**schema, "components": doc["components"]}
        jsonschema.Draft202012Validator(rooted).validate(example)
        checked += 1
    assert checked > 0


def test_the_document_is_not_committed() -> None:
    root = Path(__file__).resolve().parents[3]
    assert not list(root.glob("**/ewtp_client/client.py"))


def _schema(doc: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"][name]
    return schema


def test_closed_sets_are_enums_from_the_domain_tables(doc: dict[str, Any]) -> None:
    from ewtp.domain.lifecycle import ShipmentStatus
    from ewtp.domain.tracking.timeline import SCAN_CODES
    from ewtp.domain.webhooks.model import EVENT_TYPES

    assert _schema(doc, "ShipmentPublic")["properties"]["status"] == {
        "$ref": "#/components/schemas/ShipmentStatus"
    }
    assert _schema(doc, "ShipmentStatus")["enum"] == [s.value for s in ShipmentStatus]
    events = _schema(doc, "WebhookCreate")["properties"]["events"]["items"]
    assert events["enum"] == list(EVENT_TYPES)
    code = _schema(doc, "TrackingEventCreate")["properties"]["code"]
    assert set(code["enum"]) == {c.code for c in SCAN_CODES}
    for party in ("sender", "recipient"):
        ref = _schema(doc, "ShipmentPublic")["properties"][party]["$ref"]
        assert _schema(doc, ref.rsplit("/", 1)[-1])["properties"]["country"]["type"] == "string"


def test_money_is_a_decimal_string_only(doc: dict[str, Any]) -> None:
    money = ("unit_value", "total", "transport", "duty", "vat", "fees", "amount")
    for name, schema in doc["components"]["schemas"].items():
        for prop, value in schema.get("properties", {}).items():
            if prop in money or prop.endswith(("_cost", "_value")):
                kinds = {o.get("type") for o in value.get("anyOf", [value])}
                assert "number" not in kinds, (name, prop)

"""The OpenAPI document, shaped in one place so that a generated client works.

Why here and not route by route: routes are added by many hands, and a client generator
breaks on the first inconsistency. So every rule is generic and applied to every route:

- operation ids are `camelCase(route.name)` (the endpoint's name unless `name=` is given),
  and two operations sharing one is an error at document build time;
- every 4xx/5xx an operation can answer is declared with the one `Problem` schema under
  `application/problem+json`; which codes apply is read from the route itself (its
  dependency chain: the bearer key and its rate limit, parameters, body, Idempotency-Key;
  the admission gate and bounded thread waits) and from `STATUS_BY_ERROR`, the table that
  maps domain errors to statuses; FastAPI's `HTTPValidationError` never appears. A code a
  route declares with a model of its own (/health's 503) keeps that model;
- uploads are `format: binary`, binary answers are declared with `binary_response` (and a
  non-JSON answer declared without a schema is given the binary one);
- an optional JSON body is a plain optional body, not `anyOf[Model, null]`;
- `Idempotent-Replayed` and `Retry-After` response headers are declared where they occur.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from types import CodeType
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security.base import SecurityBase
from pydantic import BaseModel

from ewtp.api.admission import EXEMPT as ADMISSION_EXEMPT
from ewtp.api.problems import PROBLEM_JSON, STATUS_BY_ERROR
from ewtp.api.schemas.problems import Problem
from ewtp.domain.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    TooLarge,
    Unauthenticated,
    Unavailable,
)
from ewtp.http.deps import get_principal, run_limited
from ewtp.http.rate_limit import charge_rate_limit

__all__ = [
    "answerable_statuses",
    "binary_response",
    "install_openapi",
    "operation_id",
]

BINARY: dict[str, Any] = {"type": "string", "format": "binary"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
# Answered by the catch-all handler in api/problems.py, whatever the route.
ALWAYS = {500: "Internal error; it has been logged."}
DESCRIPTIONS = {
    401: "Missing or invalid API key.",
    403: "The key's role may not do this.",
    404: "No such resource (or not yours).",
    409: "The current state forbids this, or the Idempotency-Key is still in use.",
    413: "The request body is too large.",
    422: "Invalid input; every bad field is listed in `errors`.",
    429: "Rate limit of this API key exceeded; see Retry-After.",
    503: "At capacity, or the database is busy or unreachable; see Retry-After.",
}
_RETRY_AFTER = {
    "description": "Seconds to wait before retrying.",
    "schema": {"type": "integer", "minimum": 0},
}
_REPLAYED = {
    "description": "`true` when this answer is the stored first answer to the same key.",
    "schema": {"type": "string", "enum": ["true"]},
}


def operation_id(route: APIRoute) -> str:
    """`create_quote` -> `createQuote`: the one naming rule for operation ids."""
    head, *rest = route.name.strip("_").split("_")
    return head + "".join(word.capitalize() for word in rest)


def binary_response(description: str, *media_types: str) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route answering bytes (a PDF label, a CSV file)."""
    content = {media: {"schema": BINARY} for media in media_types}
    return {200: {"description": description, "content": content}}


def answerable_statuses(route: APIRoute) -> set[int]:
    """Every error status the server can answer on `route`, read from how it is built."""
    tree = [route.dependant, *_walk(route.dependant)]
    calls = [dep.call for dep in tree if dep.call is not None]
    fields: dict[str, list[Any]] = {
        kind: [f for dep in tree for f in getattr(dep, f"{kind}_params")]
        for kind in ("path", "query", "header", "cookie", "body")
    }
    codes = set(ALWAYS)
    codes |= {int(c) for c in route.responses if str(c).isdigit() and int(c) >= 400}
    if any(isinstance(call, SecurityBase) for call in calls):
        codes |= {STATUS_BY_ERROR[Unauthenticated], STATUS_BY_ERROR[Forbidden]}
    if get_principal in calls or _calls_any(calls, charge_rate_limit):
        codes.add(429)  # the key's token bucket, charged once the key is known
    if not route.path.startswith(ADMISSION_EXEMPT) or _calls_any(calls, run_limited):
        codes.add(STATUS_BY_ERROR[Unavailable])  # api/admission.py, bounded thread waits
    if any(fields.values()):
        codes.add(STATUS_BY_ERROR[InvalidInput])
    if fields["path"]:
        codes.add(STATUS_BY_ERROR[NotFound])
    if any(f.alias == IDEMPOTENCY_HEADER for f in fields["header"]):
        codes.add(STATUS_BY_ERROR[Conflict])
    if fields["body"]:
        codes.add(STATUS_BY_ERROR[TooLarge])  # api/body_limit.py
    return codes


def _calls_any(calls: list[Callable[..., Any]], target: Callable[..., Any]) -> bool:
    """Whether a function of the chain (or one defined inside it) names `target`.

    `get_principal` charges the rate limit for every route that depends on it; a hot path
    that checks its key itself (the hub's sort decisions) calls `charge_rate_limit` in
    its own body, and its bounded waits are `run_limited`: both show in the code's names.
    """
    name = target.__name__
    return any(name in _names(code) for code in map(_code, calls) if code is not None)


def _code(call: Callable[..., Any]) -> CodeType | None:
    code = getattr(getattr(call, "__wrapped__", call), "__code__", None)
    return code if isinstance(code, CodeType) else None


def _names(code: CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, CodeType):
            names |= _names(const)
    return names


def _walk(dependant: Dependant) -> list[Dependant]:
    found = []
    for dep in dependant.dependencies:
        found.append(dep)
        found.extend(_walk(dep))
    return found


def _problem_responses(operation: dict[str, Any], codes: set[int], own: set[int]) -> None:
    """Declare `codes` as Problems; `own` are codes the route gave a model of its own."""
    responses = operation.setdefault("responses", {})
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for code in sorted(codes):
        entry = responses.setdefault(str(code), {})
        entry["description"] = entry.get("description") or DESCRIPTIONS.get(
            code, ALWAYS.get(code, HTTPStatus(code).phrase)
        )
        if code in own:
            continue
        entry["content"] = problem
        if code in (429, 503):
            entry.setdefault("headers", {})["Retry-After"] = _RETRY_AFTER


def _own_models(route: APIRoute) -> set[int]:
    return {int(c) for c, r in route.responses.items() if str(c).isdigit() and "model" in r}


def _plain_optional_body(operation: dict[str, Any]) -> None:
    body = operation.get("requestBody")
    if not body:
        return
    for media in body.get("content", {}).values():
        schema = media.get("schema", {})
        options = schema.get("anyOf")
        if options and {"type": "null"} in options:
            rest = [o for o in options if o != {"type": "null"}]
            if len(rest) == 1:
                media["schema"] = rest[0]
                body["required"] = False


def _binary_answers(operation: dict[str, Any]) -> None:
    """A non-JSON answer declared without a schema (`{"application/pdf": {}}`) is bytes."""
    for code, entry in operation.get("responses", {}).items():
        for media, spec in entry.get("content", {}).items():
            if code.startswith("2") and not media.endswith("json") and not spec.get("schema"):
                spec["schema"] = BINARY


def _binary_uploads(document: dict[str, Any], operation: dict[str, Any]) -> None:
    form = operation.get("requestBody", {}).get("content", {}).get("multipart/form-data")
    if not form:
        return
    ref = form["schema"].get("$ref", "")
    schema = document["components"]["schemas"].get(ref.rsplit("/", 1)[-1], form["schema"])
    for prop in schema.get("properties", {}).values():
        if prop.get("type") == "string" and (
            "contentMediaType" in prop or prop.get("format") == "binary"
        ):
            prop.pop("contentMediaType", None)
            prop["format"] = "binary"


def _models(base: type[BaseModel] = BaseModel) -> Iterator[type[BaseModel]]:
    for sub in base.__subclasses__():
        yield sub
        yield from _models(sub)


def _restore_example_nulls(schemas: dict[str, Any]) -> None:
    """Put back the `null`s FastAPI's encoder strips from examples (exclude_none=True).

    Without them an example misses required nullable fields and is invalid against its
    own schema. Component names are model names here (titles are unique, tested).
    """
    by_name = {m.__name__: m for m in _models() if m.__module__.startswith("ewtp.")}
    for name, schema in schemas.items():
        model = by_name.get(name)
        if model is not None and "examples" in schema:
            own = model.model_json_schema().get("examples")
            if own is not None:
                schema["examples"] = own


def build_document(app: FastAPI) -> dict[str, Any]:
    """The document: FastAPI's, then the generic rules above, applied to every operation."""
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    _restore_example_nulls(schemas)
    seen: dict[str, str] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            operation = document["paths"][context.path][method.lower()]
            oid = operation["operationId"]
            where = f"{method} {context.path}"
            if oid in seen:
                raise ValueError(f"operationId {oid!r} of {where} is also {seen[oid]}'s")
            seen[oid] = where
            _problem_responses(operation, answerable_statuses(route), _own_models(route))
            _plain_optional_body(operation)
            _binary_uploads(document, operation)
            _binary_answers(operation)
            params = operation.get("parameters", [])
            if any(p.get("name") == IDEMPOTENCY_HEADER for p in params):
                for code, entry in operation["responses"].items():
                    if code.startswith("2"):
                        entry.setdefault("headers", {})["Idempotent-Replayed"] = _REPLAYED
    return document


def install_openapi(app: FastAPI) -> None:
    """Serve `build_document(app)` as /openapi.json, built once on first request."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build_document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

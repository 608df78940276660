"""hub/openapi.json stays true: every route is described, every described route exists, answers fit
their schemas (schemathesis adds generated requests in test_schemathesis.py)."""
from __future__ import annotations

import hashlib
import json
import re

from hub.app import OPENAPI_PATH, build_app
from tests.hub.conftest import event

SPEC = json.loads(OPENAPI_PATH.read_text())


def _route_table(app) -> set[tuple[str, str]]:
    """The API's own routes (the site and its static files are mounted beside them)."""
    return {(route.path, method.lower()) for route in app.routes if getattr(route, "methods", None)
            for method in route.methods if method != "HEAD"}


# Described routes served by the website (Django) rather than the API's own router
SITE_ROUTES = {("/api/v1/agenda", "get"), ("/c/{code}", "get"), ("/c/{code}/drawing.png", "get"), ("/g/{code}", "get")}


def test_every_route_is_described_and_every_description_is_a_route():
    from django.urls import resolve

    described = {(path, method) for path, ops in SPEC["paths"].items() for method in ops}
    assert _route_table(build_app()) | SITE_ROUTES == described
    for path, _ in SITE_ROUTES:
        assert resolve(path.replace("{code}", "23456789AB")).url_name


def test_answers_fit_the_described_schemas(hub):
    def check(path: str, method: str, answer) -> None:
        op = SPEC["paths"][path][method]
        described = op["responses"].get(str(answer.status_code))
        assert described is not None, f"{method} {path} answered an undescribed {answer.status_code}"
        while "$ref" in described:
            described = SPEC["components"]["responses"][described["$ref"].rsplit("/", 1)[1]]
        for name, header in described.get("headers", {}).items():
            assert not header.get("required") or name in answer.headers, f"{name} header missing"
        problems = conforms(answer.json(), described["content"]["application/json"]["schema"])
        assert not problems, f"{method} {path} {answer.status_code}: {problems}"

    e = event("survey.answer", {"question": "q", "choices": ["bus"]})
    check("/api/v1/events", "post", hub.post([e, e, dict(e, payload={"question": "q", "choices": []}), event(kind="x")]))
    check("/api/v1/events", "post", hub.post([e], token="bad"))
    check("/api/v1/events", "post", hub.client.post("/api/v1/events", content=b"[", headers=hub.auth()))
    check("/api/v1/events", "post", hub.post([event()] * 1001))
    check("/api/v1/events", "post", hub.post([event(kiosk_id="kiosk-other")]))
    check("/api/v1/events", "post", hub.client.post("/api/v1/events", content=b"{}",
                                                    headers={**hub.auth(), "Content-Encoding": "br"}))
    png = b"\x89PNG\r\n\x1a\nx"
    sha = hashlib.sha256(png).hexdigest()
    for _ in range(2):
        check("/api/v1/files/{sha256}", "put", hub.client.put(f"/api/v1/files/{sha}", content=png, headers=hub.auth()))
    check("/api/v1/files/{sha256}", "put", hub.client.put(f"/api/v1/files/{sha}", content=b"x", headers=hub.auth()))
    check("/api/v1/totals", "get", hub.client.get("/api/v1/totals", headers=hub.auth()))
    check("/api/v1/health", "get", hub.client.get("/api/v1/health"))


def conforms(value, schema, where: str = "$") -> list[str]:
    """The OpenAPI 3.0 subset hub/openapi.json uses ($ref, type, nullable, enum, pattern, minimum,
    required, properties, additionalProperties, items, maxItems): a list of mismatches."""
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if value is None:
        return [] if schema.get("nullable") or "type" not in schema else [f"{where}: null"]
    kinds = {"object": dict, "array": list, "string": str, "integer": int, "number": (int, float), "boolean": bool}
    kind = schema.get("type")
    if kind and (not isinstance(value, kinds[kind]) or (kind in ("integer", "number") and isinstance(value, bool))):
        return [f"{where}: {type(value).__name__} is not {kind}"]
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if "pattern" in schema and not re.search(schema["pattern"], value):
        problems.append(f"{where}: {value!r} does not match {schema['pattern']}")
    if "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where}: {value} < {schema['minimum']}")
    if kind == "object":
        problems += [f"{where}.{k}: missing" for k in schema.get("required", []) if k not in value]
        for key, item in value.items():
            sub = schema.get("properties", {}).get(key, schema.get("additionalProperties", {}))
            if sub is False:
                problems.append(f"{where}.{key}: not allowed")
            elif isinstance(sub, dict):
                problems += conforms(item, sub, f"{where}.{key}")
    if kind == "array":
        if len(value) > schema.get("maxItems", len(value)):
            problems.append(f"{where}: more than {schema['maxItems']} items")
        for i, item in enumerate(value):
            problems += conforms(item, schema.get("items", {}), f"{where}[{i}]")
    return problems


def test_the_checker_catches_mismatches():
    verdict = {"$ref": "#/components/schemas/Verdict"}
    assert conforms({"uuid": None, "status": "created"}, verdict) == []
    assert conforms({"uuid": "x", "status": "nope"}, verdict)
    assert conforms({"status": "created"}, verdict)
    assert conforms({"created": 1, "duplicate": 0, "conflict": 0, "invalid": 0, "more": 1},
                    SPEC["components"]["schemas"]["BatchResult"]["properties"]["counts"])

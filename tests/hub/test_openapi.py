"""hub/openapi.json stays true: every route is described, every described route exists, answers fit
their schemas; and schemathesis throws schema-guided (valid and invalid) requests at every operation."""
from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import pytest

from hub.app import OPENAPI_PATH, build_app
from hub.config import HubConfig
from hub.db import add_kiosk, open_db
from tests.hub.conftest import event

SPEC = json.loads(OPENAPI_PATH.read_text())


def _route_table(app) -> set[tuple[str, str]]:
    return {(route.path, method.lower()) for route in app.routes for method in route.methods if method != "HEAD"}


def test_every_route_is_described_and_every_description_is_a_route(tmp_path):
    app = build_app(HubConfig(db_path=tmp_path / "h.sqlite3", files_dir=tmp_path / "f"))
    described = {(path, method) for path, ops in SPEC["paths"].items() for method in ops}
    assert _route_table(app) == described


def test_answers_fit_the_described_schemas(hub):
    jsonschema_rs = pytest.importorskip("jsonschema_rs")

    def check(path: str, method: str, answer) -> None:
        op = SPEC["paths"][path][method]
        described = op["responses"].get(str(answer.status_code))
        assert described is not None, f"{method} {path} answered an undescribed {answer.status_code}"
        while "$ref" in described:
            described = SPEC["components"]["responses"][described["$ref"].rsplit("/", 1)[1]]
        schema = dict(described["content"]["application/json"]["schema"], components=SPEC["components"])
        validator = jsonschema_rs.Draft4Validator(_nullable_to_union(schema))
        validator.validate(answer.json())

    e = event("survey.answer", {"question": "q", "choices": ["bus"]})
    check("/api/v1/events", "post", hub.post([e, e, dict(e, payload={"question": "q", "choices": []}), event(kind="x")]))
    check("/api/v1/events", "post", hub.post([e], token="bad"))
    check("/api/v1/events", "post", hub.client.post("/api/v1/events", content=b"[", headers=hub.auth()))
    check("/api/v1/events", "post", hub.post([event()] * 1001))
    png = b"\x89PNG\r\n\x1a\nx"
    sha = hashlib.sha256(png).hexdigest()
    for _ in range(2):
        check("/api/v1/files/{sha256}", "put", hub.client.put(f"/api/v1/files/{sha}", content=png, headers=hub.auth()))
    check("/api/v1/files/{sha256}", "put", hub.client.put(f"/api/v1/files/{sha}", content=b"x", headers=hub.auth()))
    check("/api/v1/totals", "get", hub.client.get("/api/v1/totals", headers=hub.auth()))
    check("/api/v1/health", "get", hub.client.get("/api/v1/health"))


def _nullable_to_union(schema):
    """OpenAPI 3.0 `nullable: true` -> JSON Schema type unions, for a plain JSON Schema validator."""
    if isinstance(schema, dict):
        out = {k: _nullable_to_union(v) for k, v in schema.items() if k != "nullable"}
        if schema.get("nullable") and "type" in out:
            out["type"] = [out["type"], "null"]
        return out
    if isinstance(schema, list):
        return [_nullable_to_union(v) for v in schema]
    return schema


# -- schemathesis ----------------------------------------------------------------------------------
schemathesis = pytest.importorskip("schemathesis")
_DIR = Path(tempfile.mkdtemp(prefix="hub-schemathesis-"))
_CONFIG = HubConfig(db_path=_DIR / "hub.sqlite3", files_dir=_DIR / "files", rate_per_s=0.0)
_conn = open_db(_CONFIG.db_path)
_TOKEN = add_kiosk(_conn, "kiosk-test", "Médiathèque")
_conn.close()
_APP = build_app(_CONFIG)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP)


@schema.parametrize()
@pytest.mark.slow
def test_schemathesis_no_server_error_and_answers_conform(case):
    """Valid-token and no-token requests: never a 5xx, and every answer matches the description."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                                   response_schema_conformance, status_code_conformance)

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
              response_schema_conformance]
    for headers in ({}, {"Authorization": f"Bearer {_TOKEN}"}):  # as generated, then with a real token
        before = _stored_rows()
        answer = case.call(headers=headers)
        case.validate_response(answer, checks=checks)
        if answer.status_code >= 400:
            assert _stored_rows() == before


def _stored_rows() -> tuple[int, int]:
    conn = open_db(_CONFIG.db_path)
    try:
        return (conn.execute("SELECT count(*) FROM events").fetchone()[0],
                conn.execute("SELECT count(*) FROM files").fetchone()[0])
    finally:
        conn.close()

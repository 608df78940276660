"""Schemathesis throws schema-guided (valid and invalid) requests at every operation of hub/openapi.json:
never a 5xx, every answer conforms to the description, and a refused request stores nothing.
Needs `pip install schemathesis` (test extra); skipped without it."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from hub.app import build_app
from hub.config import HubConfig
from hub.db import add_kiosk, open_db

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

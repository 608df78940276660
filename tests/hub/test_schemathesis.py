"""Schemathesis throws schema-guided (valid and invalid) requests at every operation of hub/openapi.json:
never a 5xx, every answer conforms to the description, and a refused request stores nothing.
Needs `pip install schemathesis` (test extra); skipped without it."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from hub.app import build_app
from hub.db import Db, add_kiosk

schemathesis = pytest.importorskip("schemathesis")
_APP = build_app()   # the database is touched only by requests, inside the tests
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", _APP)


@pytest.fixture
def token(transactional_db, settings, tmp_path):
    import dataclasses

    settings.HUB = dataclasses.replace(settings.HUB, files_dir=tmp_path / "files", rate_per_s=0.0)
    return add_kiosk("kiosk-test", "Médiathèque")


@schema.parametrize()
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])   # before/after counts are per call
@pytest.mark.slow
def test_schemathesis_no_server_error_and_answers_conform(case, token):
    """Valid-token and no-token requests: never a 5xx, and every answer matches the description."""
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                                   response_schema_conformance, status_code_conformance)

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
              response_schema_conformance]
    for headers in ({}, {"Authorization": f"Bearer {token}"}):  # as generated, then with a real token
        before = _stored_rows()
        answer = case.call(headers=headers)
        case.validate_response(answer, checks=checks)
        if answer.status_code >= 400:
            assert _stored_rows() == before


def _stored_rows() -> tuple[int, int]:
    db = Db()
    return db.one("SELECT count(*) FROM events")[0], db.one("SELECT count(*) FROM files")[0]

"""Malformed and hostile input to every endpoint: a 4xx (or per-event `invalid`), never a 500, never a row."""
from __future__ import annotations

import gzip
import json
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hub.conftest import KIOSK, Hub, event

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)
FIELDS = ["uuid", "ts", "kiosk_id", "session_id", "station", "kind", "payload", "extra"]


def _counts(hub: Hub) -> tuple[int, int, int]:
    return tuple(hub.rows(f"SELECT count(*) FROM {t}")[0][0] for t in ("events", "conflicts", "files"))


@SETTINGS
@given(body=st.binary(max_size=2000), gzip_it=st.booleans(), encoding=st.sampled_from(["gzip", "", "identity", "x"]))
def test_random_bytes_to_events(hub, body, gzip_it, encoding):
    before = _counts(hub)
    data = gzip.compress(body) if gzip_it else body
    answer = hub.client.post("/api/v1/events", content=data, headers={**hub.auth(), "Content-Encoding": encoding})
    assert answer.status_code < 500
    if answer.status_code == 200:  # only possible for a JSON {"events": [...]}; random bytes give no valid event
        assert all(r["status"] == "invalid" for r in answer.json()["results"])
    assert _counts(hub) == before


@SETTINGS
@given(value=json_values)
def test_random_json_bodies(hub, value):
    before = _counts(hub)
    for body in (value, {"events": value}, {"events": [value]}):
        answer = hub.client.post("/api/v1/events", content=json.dumps(body).encode(), headers=hub.auth())
        assert answer.status_code < 500
        if answer.status_code == 200:
            assert all(r["status"] == "invalid" for r in answer.json()["results"])
    assert _counts(hub) == before


@SETTINGS
@given(field=st.sampled_from(FIELDS), value=json_values | st.text(alphabet=st.characters(), max_size=200))
def test_one_mutated_field(hub, field, value):
    """A valid event with one field replaced: either still valid (and stored once) or invalid (no row)."""
    e = event("station.exit", {"seconds": 3.5})
    e[field] = value
    before = _counts(hub)
    try:
        body = json.dumps({"events": [e]}).encode()
    except (ValueError, UnicodeEncodeError):
        return
    answer = hub.client.post("/api/v1/events", content=body, headers=hub.auth())
    if field == "kiosk_id" and isinstance(value, str) and value != KIOSK:
        assert answer.status_code == 403 and _counts(hub) == before
        return
    assert answer.status_code == 200
    verdict = answer.json()["results"][0]["status"]
    after = _counts(hub)
    assert after[0] - before[0] == (1 if verdict == "created" else 0)
    if verdict == "created":  # then the stored row is exactly what the kiosk said
        row = hub.rows(f"SELECT payload, session_id, station FROM events WHERE uuid = '{e['uuid']}'")[0]
        assert json.loads(row[0]) == e["payload"] and (row[1], row[2]) == (e["session_id"], e["station"])


@SETTINGS
@given(name=st.text(max_size=80), body=st.binary(max_size=500))
def test_random_files(hub, name, body):
    before = _counts(hub)
    answer = hub.client.put("/api/v1/files/" + quote(name, safe=""), content=body, headers=hub.auth())
    assert 400 <= answer.status_code < 500
    assert _counts(hub) == before


@SETTINGS
@given(header=st.text(max_size=300).filter(lambda h: h.isascii() and "\n" not in h and "\r" not in h))
def test_random_authorization_headers(hub, header):
    for method, url in (("POST", "/api/v1/events"), ("PUT", f"/api/v1/files/{'a' * 64}"), ("GET", "/api/v1/totals")):
        answer = hub.client.request(method, url, content=b"{}", headers={"Authorization": header})
        assert answer.status_code == 401


def test_nul_characters_in_a_payload_are_kept_on_both_databases(hub):
    """PostgreSQL text cannot hold NUL: the payload is stored with it escaped, the same JSON value."""
    e = event("session.start", {"note": "a\x00b"})
    assert hub.post([e]).json()["counts"] == {"created": 1, "duplicate": 0, "conflict": 0, "invalid": 0}
    assert json.loads(hub.rows("SELECT payload FROM events")[0][0]) == {"note": "a\x00b"}
    assert hub.post([e]).json()["results"][0]["status"] == "duplicate"
    assert hub.post([dict(e, payload={"note": "c\x00"})]).json()["results"][0]["status"] == "conflict"
    assert hub.client.get("/api/v1/agenda?lieu=%00").status_code == 404
    assert hub.client.get("/actualites/?departement=%00").status_code == 200

"""The hub's HTTP API in process: verdicts, status codes, files, totals, tokens."""
from __future__ import annotations

import gzip
import hashlib
import json

from hub.guard import TokenBuckets
from hub.db import hash_token
from tests.hub.conftest import KIOSK, event, gz

PNG = b"\x89PNG\r\n\x1a\n" + b"drawing bytes" * 50


def test_batch_gets_one_verdict_per_event_in_order(hub):
    good = [event(), event("survey.answer", {"question": "q", "choices": ["bus"]}, station="survey")]
    bad = event("survey.answer", {"question": "q"})          # choices missing
    answer = hub.post(good + [bad])
    assert answer.status_code == 200
    body = answer.json()
    assert [r["status"] for r in body["results"]] == ["created", "created", "invalid"]
    assert "choices" in body["results"][2]["reason"]
    assert body["counts"] == {"created": 2, "duplicate": 0, "conflict": 0, "invalid": 1}
    assert hub.rows()[0][0] == 2


def test_resend_is_duplicate_and_changed_content_is_conflict_kept_aside(hub):
    first = event("traffic.tap", {"scenario": "a"})
    hub.post([first])
    changed = dict(first, payload={"scenario": "b"})
    answer = hub.post([first, changed, changed])
    assert [r["status"] for r in answer.json()["results"]] == ["duplicate", "conflict", "conflict"]
    assert hub.rows("SELECT payload FROM events")[0][0] == '{"scenario":"a"}'   # never overwritten
    assert len(hub.rows("SELECT * FROM conflicts")) == 1                        # kept once


def test_same_uuid_twice_in_one_batch(hub):
    e = event()
    assert [r["status"] for r in hub.post([e, e]).json()["results"]] == ["created", "duplicate"]


def test_payload_key_order_and_spacing_do_not_make_conflicts(hub):
    e = event("footfall.minute", {"sensor": "porte", "minute": "2026-11-25T10:00", "in": 3, "out": 1})
    hub.post([e])
    reordered = dict(e, payload=dict(reversed(list(e["payload"].items()))))
    assert hub.post([reordered]).json()["results"][0]["status"] == "duplicate"


def test_events_of_another_kiosk_refuse_the_whole_batch(hub):
    answer = hub.post([event(), event(kiosk_id="kiosk-other")])
    assert answer.status_code == 403 and "kiosk-other" in answer.json()["error"]
    assert hub.rows()[0][0] == 0


def test_invalid_events(hub):
    cases = {
        "uuid": event(uuid="not-a-uuid"),
        "upper uuid": event(uuid=event()["uuid"].upper()),
        "ts format": event(ts="2026-11-25 10:00:00"),
        "ts future": event(minutes_ago=-60 * 24 * 5),
        "ts past": event(ts="2019-01-01T00:00:00.000Z"),
        "kind": event(kind="nope"),
        "payload type": event(payload=[1]),
        "field type": event("station.exit", {"seconds": "long"}),
        "bool as number": event("station.exit", {"seconds": True}),
        "extra field": dict(event(), extra=1),
        "long session": event(session_id="x" * 500),
        "control chars": event(station="a\nb"),
        "deep payload": event("session.start", {"a": [[[[[[[[[[[1]]]]]]]]]]]}),
        "big payload": event("session.start", {"blob": "x" * 20000}),
        # payload schema per kind: each of these once reached the totals or a public page
        "negative door count": event("footfall.minute", {"sensor": "porte", "minute": "2026-11-25T10:00",
                                                         "in": -1_000_000, "out": 0}),
        "door count overflow": event("footfall.minute", {"sensor": "porte", "minute": "2026-11-25T10:00",
                                                         "in": 4_294_967_295, "out": 0}),
        "minute shape": event("footfall.minute", {"sensor": "porte", "minute": "hier", "in": 1, "out": 0}),
        "junk choices": event("survey.answer", {"question": "came_by", "choices": [{"a": 1}, ["b"], None, 5, "bike"]}),
        "choice with markup": event("survey.answer", {"question": "came_by", "choices": ["<b>bike</b>"]}),
        "negative answered": event("survey.complete", {"answered": -5}),
        "wall text number": event("wall.message", {"question": "city", "text": 12345}),
        "wall text too long": event("wall.message", {"question": "city", "text": "a" * 5000}),
        "drawing path": event("wall.message", {"question": "city", "drawing_sha256": "../../etc/passwd"}),
        "flags not a list": event("wall.message", {"question": "city", "text": "ok", "flags": "x"}),
        "empty message": event("wall.message", {"question": "city", "flags": []}),
        "co2 as text": event("sensor.air", {"sensor": "co2", "minute": "2026-11-25T10:00", "co2_ppm": "lots"}),
        "sensor state": event("sensor.status", {"sensor": "co2", "state": "on fire"}),
        "moderation target": event("moderation.approved", {"target": "'; DROP TABLE events; --"}),
        "pupils": event("group.start", {"group_id": "g", "level": "college", "pupils": 10**9, "adults": 2,
                                        "activity": "crowds"}),
    }
    answer = hub.post(list(cases.values()))
    statuses = [r["status"] for r in answer.json()["results"]]
    assert statuses == ["invalid"] * len(cases), dict(zip(cases, statuses))
    assert hub.rows()[0][0] == 0


def test_nan_makes_only_its_event_invalid(hub):
    ok = event()
    raw = json.dumps({"events": [ok, event("station.exit", {"seconds": float("nan")})]}).encode()
    assert b"NaN" in raw
    answer = hub.client.post("/api/v1/events", content=raw, headers=hub.auth())
    assert [r["status"] for r in answer.json()["results"]] == ["created", "invalid"]


def test_status_codes_for_bad_requests(hub):
    assert hub.post([event()], token="wrong").status_code == 401
    assert hub.client.post("/api/v1/events", content=gz({"events": []})).status_code == 401
    headers = {**hub.auth(), "Content-Encoding": "gzip"}
    assert hub.client.post("/api/v1/events", content=b"not gzip", headers=headers).status_code == 400
    assert hub.client.post("/api/v1/events", content=gzip.compress(b"{nope"), headers=headers).status_code == 400
    assert hub.client.post("/api/v1/events", content=gz([1, 2]), headers=headers).status_code == 400
    assert hub.client.post("/api/v1/events", content=gzip.compress(b"[" * 100000), headers=headers).status_code == 400
    assert hub.client.post("/api/v1/events", content=gzip.compress(b"x")[:-4], headers=headers).status_code == 400
    br = {**hub.auth(), "Content-Encoding": "br"}
    assert hub.client.post("/api/v1/events", content=b"{}", headers=br).status_code == 415
    assert hub.rows()[0][0] == 0


def test_too_large(hub):
    assert hub.post([event() for _ in range(1001)]).status_code == 413
    headers = {**hub.auth(), "Content-Encoding": "gzip"}
    bomb = gzip.compress(b'{"events": [' + b" " * (6 * 1024 * 1024) + b"]}")   # 6 KB that inflate to 6 MB
    assert len(bomb) < 100_000
    assert hub.client.post("/api/v1/events", content=bomb, headers=headers).status_code == 413
    raw = b'{"events": [' + b" " * (6 * 1024 * 1024) + b"]}"
    assert hub.client.post("/api/v1/events", content=raw, headers=hub.auth()).status_code == 413


def test_rate_limit_answers_429_with_retry_after(make_hub):
    hub = make_hub(rate_per_s=1.0, rate_burst=3)
    codes = [hub.post([]).status_code for _ in range(5)]
    assert codes[:3] == [200, 200, 200] and codes[3:] == [429, 429]
    answer = hub.post([])
    assert int(answer.headers["Retry-After"]) >= 1
    assert hub.post([], token=hub.other_token).status_code == 200   # per kiosk


def test_a_known_kiosk_behind_a_guessing_address_is_looked_up_again_once_its_cache_minute_is_over(make_hub):
    hub = make_hub(auth_failure_burst=2, auth_failure_rate_per_s=0.001)
    assert hub.post([]).status_code == 200
    assert [hub.post([], token=f"guess-{i}").status_code for i in range(3)] == [401, 401, 429]
    guard = hub.client.app.state.hub
    guard._tokens = {token: (kiosk, 0.0) for token, (kiosk, _) in guard._tokens.items()}    # the minute is over
    assert hub.post([]).status_code == 200
    assert hub.post([], token=hub.other_token).status_code == 429    # never seen good here: waits like a guess


def test_rate_limiter_refills():
    now = [0.0]
    limiter = TokenBuckets(2.0, 2, clock=lambda: now[0])
    assert [limiter.retry_after("k") for _ in range(3)] == [0, 0, 1]
    now[0] += 0.5
    assert limiter.retry_after("k") == 0


def test_buckets_of_idle_clients_are_forgotten_so_memory_stays_bounded():
    now = [0.0]
    buckets = TokenBuckets(1.0, 3, clock=lambda: now[0], max_keys=100)
    for i in range(1000):          # a thousand addresses, each one try
        buckets.take(f"10.0.{i // 250}.{i % 250}")
        now[0] += 0.01
    assert len(buckets._buckets) <= 100
    buckets.take("198.51.100.7")
    buckets.take("198.51.100.7")
    assert buckets.wait("198.51.100.7") == 0 and buckets.take("198.51.100.7") is None
    assert buckets.wait("198.51.100.7") == 1          # spent: one more second


def test_files_are_verified_and_idempotent(hub):
    sha = hashlib.sha256(PNG).hexdigest()
    url = f"/api/v1/files/{sha}"
    assert hub.client.put(url, content=PNG, headers=hub.auth()).status_code == 201
    assert hub.client.put(url, content=PNG, headers=hub.auth()).json()["status"] == "duplicate"
    assert (hub.config.files_dir / sha[:2] / f"{sha}.png").read_bytes() == PNG
    assert hub.client.put(url, content=PNG + b"x", headers=hub.auth()).status_code == 400
    text = b"not a png"
    assert hub.client.put(f"/api/v1/files/{hashlib.sha256(text).hexdigest()}", content=text,
                          headers=hub.auth()).status_code == 400
    assert hub.client.put("/api/v1/files/ABC", content=PNG, headers=hub.auth()).status_code == 400
    assert hub.client.put(url, content=PNG).status_code == 401
    big = PNG + b"x" * (5 * 1024 * 1024)
    assert hub.client.put(f"/api/v1/files/{hashlib.sha256(big).hexdigest()}", content=big,
                          headers=hub.auth()).status_code == 413
    assert len(hub.rows("SELECT * FROM files")) == 1


def test_file_may_arrive_after_its_event(hub):
    sha = hashlib.sha256(PNG).hexdigest()
    assert hub.post([event("wall.message", {"question": "q", "drawing_sha256": sha})]).json()["counts"]["created"] == 1
    assert hub.client.put(f"/api/v1/files/{sha}", content=PNG, headers=hub.auth()).status_code == 201


def test_totals_count_survey_answers_across_kiosks(hub):
    hub.post([event("survey.answer", {"question": "q1", "choices": ["bus", "velo"]}),
              event("survey.answer", {"question": "q1", "choices": ["bus"]}), event()])
    hub.post([event("survey.answer", {"question": "q1", "choices": ["metro"]}, kiosk_id="kiosk-other")],
             token=hub.other_token)
    totals = hub.client.get("/api/v1/totals", headers=hub.auth()).json()
    assert totals["survey"]["q1"] == {"answers": 3, "choices": {"bus": 2, "velo": 1, "metro": 1}}
    assert (totals["venues"], totals["kiosks"], totals["sessions"]) == (2, 2, 1)
    assert hub.client.get("/api/v1/totals").status_code == 401


def test_only_the_token_hash_is_stored(hub):
    dump = "\n".join(str(tuple(r)) for r in hub.rows("SELECT * FROM kiosks"))
    assert hub.token not in dump and hash_token(hub.token) in dump


def test_health_and_openapi_need_no_token(hub):
    assert hub.client.get("/api/v1/health").json() == {"status": "ok"}
    assert hub.client.get("/api/v1/openapi.json").json()["openapi"].startswith("3.")


def test_unknown_paths_and_methods_are_4xx(hub):
    assert hub.client.get("/api/v1/events", headers=hub.auth()).status_code == 405
    assert hub.client.get("/nope").status_code == 404
    assert hub.client.delete(f"/api/v1/files/{'0' * 64}", headers=hub.auth()).status_code == 405


def test_gzip_with_trailing_garbage_is_rejected(hub):
    body = gz({"events": [event()]}) + b"garbage"
    headers = {**hub.auth(), "Content-Encoding": "gzip"}
    assert hub.client.post("/api/v1/events", content=body, headers=headers).status_code == 400
    assert hub.rows()[0][0] == 0

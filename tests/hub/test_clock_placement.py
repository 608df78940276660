"""Events a kiosk recorded while it distrusted its wall clock: accepted with their clock note, filed at the
kiosk's estimate of the time, the raw ts kept for audit; without a note a 1970 date is refused as before,
and an event without a note keeps the content sha it always had (SQLite here, PostgreSQL in
`make test-postgres`: the same code)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from eventlog.bundle import export_bundle
from eventlog.sqlite import connect
from eventlog.wire import db_path, iter_rows, wire_event
from hub.validate import EVENT_FIELDS, canonical_event
from kiosk.store.recorder import Recorder
from kiosk.store.wall_clock import ClockWatch
from tests.hub.conftest import KIOSK, event


def ts_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def flagged(minutes_ago: float = 5, raw: str = "1970-01-01T00:03:00.000Z", **note) -> dict:
    base = event(minutes_ago=minutes_ago)
    clock = {"flag": "behind", "estimated_ts": base["ts"], "run": "run-1", "mono_ms": 180_000} | note
    return dict(base, ts=raw, clock=clock)


def test_an_event_from_a_1970_clock_is_filed_at_the_kiosks_estimate_and_keeps_its_raw_ts(hub):
    e = flagged()
    answer = hub.post([e])
    assert [r["status"] for r in answer.json()["results"]] == ["created"], answer.json()
    [(ts, note)] = hub.rows("SELECT ts, kiosk_clock FROM events WHERE uuid = %s", (e["uuid"],))
    assert ts == e["clock"]["estimated_ts"]
    assert json.loads(note) == {"ts": "1970-01-01T00:03:00.000Z", **e["clock"]}
    assert hub.post([e]).json()["results"][0]["status"] == "duplicate"
    # the same uuid with another clock note is another content: kept aside, never overwriting
    assert hub.post([dict(e, clock=dict(e["clock"], mono_ms=1))]).json()["results"][0]["status"] == "conflict"


def test_three_days_ahead_with_its_note_is_filed_at_the_estimate(hub):
    ahead = ts_of(datetime.now(timezone.utc) + timedelta(days=3))
    e = flagged(raw=ahead, flag="jump")
    assert hub.post([e]).json()["results"][0]["status"] == "created"
    assert hub.rows("SELECT ts FROM events")[0][0] == e["clock"]["estimated_ts"]


def test_without_a_note_an_implausible_date_is_refused_as_before(hub):
    e = flagged()
    del e["clock"]
    [verdict] = hub.post([e]).json()["results"]
    assert verdict["status"] == "invalid" and "plausible" in verdict["reason"]


@pytest.mark.parametrize("note, words", [
    ({"flag": "late"}, "clock.flag"),
    ({"estimated_ts": "1970-01-01T00:03:00.000Z"}, "clock.estimated_ts outside the plausible range"),
    ({"estimated_ts": "yesterday"}, "clock.estimated_ts must look like"),
    ({"mono_ms": -1}, "clock.mono_ms"),
    ({"mono_ms": True}, "clock.mono_ms"),
    ({"mono_ms": 1.5}, "clock.mono_ms"),
    ({"run": ""}, "clock.run"),
    ({"run": None}, "clock.run"),
    ({"extra": 1}, "clock must be an object of"),
])
def test_a_broken_clock_note_makes_its_event_invalid(hub, note, words):
    e = flagged(**note)
    [verdict] = hub.post([e]).json()["results"]
    assert verdict["status"] == "invalid" and words in verdict["reason"], verdict
    assert hub.rows()[0][0] == 0


def test_a_note_that_is_not_an_object_or_lacks_a_key_is_invalid(hub):
    missing = flagged()
    del missing["clock"]["run"]
    answers = hub.post([dict(flagged(), clock="behind"), missing]).json()["results"]
    assert [a["status"] for a in answers] == ["invalid", "invalid"]


def test_an_event_without_a_note_keeps_its_content_sha():
    e = event()
    before = json.dumps({k: e[k] for k in EVENT_FIELDS}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_event(e) == before
    assert hashlib.sha256(canonical_event(dict(e, clock=None)).encode()).hexdigest() == \
        hashlib.sha256(before.encode()).hexdigest()


def log_whose_clock_fell_to_1970(data_dir) -> float:
    """A kiosk log: kiosk.start on a right clock, then session.start five minutes later on a clock reading
    1970; returns the Unix time the session really started."""
    now = datetime.now(timezone.utc).timestamp()
    clocks = {"wall": now - 600, "mono": 50.0}
    watch = ClockWatch(None, run_id="run-7", wall=lambda: clocks["wall"], mono=lambda: clocks["mono"],
                       synchronised=lambda: False)
    rec = Recorder(data_dir, KIOSK, flush_interval=0.01, clock=lambda _newest: watch)
    rec.record("kiosk.start", {"version": "0.1.0"})
    clocks.update(wall=7.0, mono=350.0)
    rec.record("session.start", session_id="s-1")
    assert rec.flush()
    rec.close()
    return now - 300


def test_a_kiosk_whose_clock_fell_to_1970_uploads_and_is_placed(hub, tmp_path):
    """From the recorder to the hub: the kiosk's log, its wire form, the hub's verdict and placement."""
    started = log_whose_clock_fell_to_1970(tmp_path)
    conn = connect(db_path(tmp_path))
    events = [wire_event(row) for row in iter_rows(conn)]
    conn.close()
    assert "clock" not in events[0] and events[1]["clock"]["flag"] == "jump"
    assert [r["status"] for r in hub.post(events).json()["results"]] == ["created", "created"]
    placed = dict(hub.rows("SELECT kind, ts FROM events"))
    assert placed["session.start"] == ts_of(datetime.fromtimestamp(started, timezone.utc))


def test_a_usb_bundle_of_such_a_log_is_placed_the_same_way(hub, tmp_path):
    from hub.db import Db
    from hub.importer import import_bundle

    started = log_whose_clock_fell_to_1970(tmp_path / "kiosk")
    bundle = export_bundle(tmp_path / "kiosk", tmp_path / "k.zip", kiosk_id=KIOSK, token=hub.token)
    summary = import_bundle(Db(), tmp_path / "files", bundle.path)
    assert summary["events"]["created"] == 2 and summary["events"]["invalid"] == 0, summary
    [(ts, note)] = hub.rows("SELECT ts, kiosk_clock FROM events WHERE kind = 'session.start'")
    assert ts == ts_of(datetime.fromtimestamp(started, timezone.utc))
    assert json.loads(note)["ts"] == "1970-01-01T00:00:07.000Z"

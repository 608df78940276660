"""The recorder queues, commits in batches, keeps order and identity, and flush() really waits."""
from __future__ import annotations

import json
import threading

from eventlog.stamps import parse_ts
from kiosk.session import VisitorSession, VisitRecorder
from kiosk.store.reader import StoreReader
from kiosk.store.recorder import Recorder


def _rows(tmp_path):
    reader = StoreReader(tmp_path)
    try:
        return reader.query(lambda c: [dict(r) for r in c.execute("SELECT * FROM events ORDER BY seq")])
    finally:
        reader.close()


def test_record_flush_and_read_back(tmp_path):
    rec = Recorder(tmp_path, "kiosk-a", flush_interval=10.0)  # only flush() may commit here
    u1 = rec.record("session.start", {}, session_id="s1")
    u2 = rec.record("station.enter", {"é": "ü"}, station="crowd", session_id="s1")
    u3 = rec.record("error", {"where": "x", "message": "y"})        # the kiosk's own event: no session
    assert rec.flush()
    rows = _rows(tmp_path)
    rec.close()
    assert [r["uuid"] for r in rows] == [u1, u2, u3]
    assert [r["session_id"] for r in rows] == ["s1", "s1", None]
    assert rows[1]["station"] == "crowd" and json.loads(rows[1]["payload"]) == {"é": "ü"}
    assert all(r["kiosk_id"] == "kiosk-a" for r in rows)
    parse_ts(rows[0]["ts"])  # the stored format


def test_explicit_ts_gives_time_ordered_uuids(tmp_path):
    rec = Recorder(tmp_path, "k")
    later = rec.record("kiosk.start", {"version": "1"}, ts="2026-11-25T10:00:00.500Z")
    earlier = rec.record("kiosk.start", {"version": "1"}, ts="2026-03-01T08:00:00.000Z")
    rec.flush()
    rec.close()
    assert earlier < later
    rows = _rows(tmp_path)
    assert rows[0]["ts"] == "2026-11-25T10:00:00.500Z"


def test_commits_without_flush_within_the_interval(tmp_path):
    rec = Recorder(tmp_path, "k", flush_interval=0.05)
    rec.record("kiosk.start", {"version": "1"})
    reader = StoreReader(tmp_path)
    count = 0
    for _ in range(100):
        count = reader.query(lambda c: c.execute("SELECT count(*) FROM events").fetchone()[0])
        if count:
            break
        threading.Event().wait(0.01)
    reader.close()
    rec.close()
    assert count == 1


def test_many_threads_nothing_lost_and_flush_is_exact(tmp_path):
    rec = Recorder(tmp_path, "k", flush_interval=0.2, batch_size=64)

    def burst(tag):
        for i in range(500):
            rec.record("traffic.tap", {"scenario": tag, "i": i})

    threads = [threading.Thread(target=burst, args=(f"t{n}",)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert rec.flush()
    # flush() returned: everything queued before it is committed, not just dequeued.
    reader = StoreReader(tmp_path)
    n = reader.query(lambda c: c.execute("SELECT count(*) FROM events").fetchone()[0])
    reader.close()
    assert n == 2000 and rec.backlog == 0 and rec.written == 2000
    rec.close()


def test_close_commits_what_is_pending(tmp_path):
    rec = Recorder(tmp_path, "k", flush_interval=60.0)
    for i in range(10):
        rec.record("traffic.tap", {"scenario": "a"})
    rec.close()
    assert len(_rows(tmp_path)) == 10


def test_a_station_records_with_the_visitor_session_of_the_moment(tmp_path):
    """Stations write through a VisitRecorder: their events carry the session of the visitor then at the
    kiosk, none between visitors; the kiosk's own writers give none whatever the visit."""
    rec = Recorder(tmp_path, "kiosk-a", flush_interval=10.0)
    visit = VisitorSession(rec, clock=lambda: 0.0)
    station = VisitRecorder(rec, visit)
    before = station.record("traffic.tap", {}, station="traffic")
    visit.start()
    during = station.record("traffic.tap", {}, station="traffic")
    sensor = rec.record("footfall.minute", {"in": 1})
    visit.end("timeout")
    after = station.record("traffic.tap", {}, station="traffic")
    assert rec.flush()
    sessions = {r["uuid"]: r["session_id"] for r in _rows(tmp_path)}
    rec.close()
    assert sessions[during] == visit_id(sessions) and sessions[during] is not None
    assert sessions[before] is None and sessions[after] is None and sessions[sensor] is None


def visit_id(sessions: dict) -> str | None:
    """The one session id of the log."""
    ids = {s for s in sessions.values() if s is not None}
    assert len(ids) == 1
    return ids.pop()

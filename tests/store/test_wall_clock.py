"""The recorder and a wall clock that lies: every event keeps its run and monotonic time; a clock in 1970,
three days ahead or jumping during a run flags the events it stamps, with the best estimate of the true
time; NTP's slews of a few seconds and a clock the system says is synchronised are believed."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from eventlog.sqlite import atomic, connect
from eventlog.stamps import new_uuid, parse_ts
from eventlog.wire import db_path, iter_rows, wire_event
from kiosk.store.migrations import migrate
from kiosk.store.recorder import Recorder
from kiosk.store.wall_clock import AHEAD_S, ClockWatch

DAY = 86_400.0
NOON = datetime(2026, 12, 8, 12, 0, tzinfo=timezone.utc).timestamp()   # after the release date


class FakeClocks:
    """A wall clock the test sets and a monotonic clock it advances; the system's word on sync."""

    def __init__(self, wall: float, *, synchronised: bool | None = False):
        self.wall, self.mono, self.synchronised = wall, 1000.0, synchronised

    def advance(self, seconds: float) -> None:
        self.wall += seconds
        self.mono += seconds

    def watch(self, newest: float | None) -> ClockWatch:
        return ClockWatch(newest, run_id="run-under-test", wall=lambda: self.wall, mono=lambda: self.mono,
                          synchronised=lambda: self.synchronised)


def rows(data_dir) -> list[dict]:
    conn = connect(db_path(data_dir))
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM events ORDER BY seq")]
    finally:
        conn.close()


def record_all(tmp_path, clocks: FakeClocks, steps) -> list[dict]:
    """Run `steps` (callables taking the recorder) and return the stored rows."""
    rec = Recorder(tmp_path, "k1", flush_interval=0.01, clock=clocks.watch)
    try:
        for step in steps:
            step(rec)
        assert rec.flush()
    finally:
        rec.close()
    return rows(tmp_path)


def at(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def test_a_trusted_clock_stamps_run_and_monotonic_time_and_flags_nothing(tmp_path):
    clocks = FakeClocks(NOON)
    stored = record_all(tmp_path, clocks, [lambda r: r.record("session.start"),
                                           lambda r: clocks.advance(2.5),
                                           lambda r: r.record("session.start")])
    assert [r["ts"] for r in stored] == [at(NOON), at(NOON + 2.5)]
    assert [r["mono_ms"] for r in stored] == [0, 2500]
    assert {r["run_id"] for r in stored} == {"run-under-test"}
    assert [(r["clock_flag"], r["estimated_ts"]) for r in stored] == [(None, None)] * 2
    assert all("clock" not in wire_event(row) for row in iter_rows(connect(db_path(tmp_path))))


def test_a_jump_to_1970_during_a_run_is_flagged_with_the_runs_own_time(tmp_path):
    clocks = FakeClocks(NOON)

    def jump(_rec):
        clocks.advance(60)
        clocks.wall = 3600.0                     # 1970-01-01T01:00, e.g. a dead clock battery after a reset

    def fixed(_rec):
        clocks.advance(30)
        clocks.wall = NOON + 90.0                # the time is set right again

    stored = record_all(tmp_path, clocks, [lambda r: r.record("session.start"), jump,
                                           lambda r: r.record("station.enter", station="crowd"),
                                           fixed, lambda r: r.record("session.start")])
    assert stored[1]["ts"] == "1970-01-01T01:00:00.000Z"
    assert (stored[1]["clock_flag"], stored[1]["estimated_ts"]) == ("jump", at(NOON + 60))
    assert stored[1]["mono_ms"] == 60_000
    # its uuid sorts with the estimate, not with 1970
    assert stored[0]["uuid"] < stored[1]["uuid"] < stored[2]["uuid"]
    assert (stored[2]["clock_flag"], stored[2]["ts"]) == (None, at(NOON + 90))


def test_three_days_ahead_during_a_run_is_flagged(tmp_path):
    clocks = FakeClocks(NOON)
    stored = record_all(tmp_path, clocks, [lambda r: r.record("session.start"),
                                           lambda r: (clocks.advance(10), setattr(clocks, "wall", clocks.wall + 3 * DAY)),
                                           lambda r: r.record("session.start")])
    assert stored[1]["ts"] == at(NOON + 10 + 3 * DAY)
    assert (stored[1]["clock_flag"], stored[1]["estimated_ts"]) == ("jump", at(NOON + 10))


def test_ntp_slews_of_seconds_are_believed(tmp_path):
    clocks = FakeClocks(NOON)
    steps = [lambda r: r.record("session.start")]
    for _ in range(10):                          # 10 × 8 s of slew: 80 s in all, never 2 minutes at once
        steps += [lambda r: (clocks.advance(600), setattr(clocks, "wall", clocks.wall + 8)),
                  lambda r: r.record("session.start")]
    stored = record_all(tmp_path, clocks, steps)
    assert [r["clock_flag"] for r in stored] == [None] * 11


def test_a_step_the_system_calls_synchronised_is_believed(tmp_path):
    clocks = FakeClocks(NOON - 2 * 3600, synchronised=False)     # two hours slow, within what start believes

    def ntp_sets_it(_rec):
        clocks.advance(5)
        clocks.wall += 2 * 3600
        clocks.synchronised = True

    stored = record_all(tmp_path, clocks, [lambda r: r.record("session.start"), ntp_sets_it,
                                           lambda r: r.record("session.start")])
    assert [r["clock_flag"] for r in stored] == [None, None]
    assert stored[1]["ts"] == at(NOON + 5)


def test_a_start_in_1970_is_estimated_from_the_logs_newest_event(tmp_path):
    record_all(tmp_path, FakeClocks(NOON), [lambda r: r.record("kiosk.stop", {"reason": "evening"})])
    clocks = FakeClocks(0.0)                     # the next morning the clock says 1970-01-01
    stored = record_all(tmp_path, clocks, [lambda r: clocks.advance(42), lambda r: r.record("kiosk.start",
                                                                                         {"version": "t"})])
    late = stored[-1]
    assert late["ts"] == "1970-01-01T00:00:42.000Z"
    # at least the evening's last event plus the run's own 42 s: the time off is unknown, never less
    assert (late["clock_flag"], late["estimated_ts"]) == ("behind", at(NOON + 42))


def test_a_second_start_in_1970_continues_from_the_first_runs_estimates(tmp_path):
    record_all(tmp_path, FakeClocks(NOON), [lambda r: r.record("session.start")])
    clocks = FakeClocks(0.0)
    record_all(tmp_path, clocks, [lambda r: clocks.advance(3600), lambda r: r.record("session.start")])
    clocks = FakeClocks(0.0)                     # restarted, still in 1970: not back to the evening before
    stored = record_all(tmp_path, clocks, [lambda r: clocks.advance(60), lambda r: r.record("session.start")])
    assert [r["estimated_ts"] for r in stored[1:]] == [at(NOON + 3600), at(NOON + 3660)]


def test_a_start_in_1970_on_a_new_kiosk_is_estimated_from_the_release(tmp_path):
    stored = record_all(tmp_path, FakeClocks(0.0), [lambda r: r.record("session.start")])
    assert stored[0]["clock_flag"] == "behind"
    assert parse_ts(stored[0]["estimated_ts"]).year == 2026


def test_a_start_days_after_the_log_is_ahead_unless_the_system_says_it_is_synchronised(tmp_path):
    record_all(tmp_path, FakeClocks(NOON), [lambda r: r.record("session.start")])
    later = NOON + AHEAD_S + 3600
    stored = record_all(tmp_path, FakeClocks(later), [lambda r: r.record("session.start")])
    assert (stored[-1]["clock_flag"], stored[-1]["estimated_ts"]) == ("ahead", at(NOON))
    stored = record_all(tmp_path, FakeClocks(later, synchronised=True), [lambda r: r.record("session.start")])
    assert stored[-1]["clock_flag"] is None      # a long closure, and NTP vouches for the date


def test_a_flagged_events_own_ts_is_corrected_by_as_much(tmp_path):
    """A sensor stamps its readings with the same wall clock: its ts is moved by the same correction."""
    clocks = FakeClocks(NOON)

    def reading(rec):
        clocks.advance(60)
        clocks.wall = 1000.0
        rec.record("footfall.minute", {"sensor": "porte", "minute": "1970-01-01T00:16", "in": 1, "out": 0},
                   ts=at(clocks.wall - 30))

    stored = record_all(tmp_path, clocks, [lambda r: r.record("session.start"), reading])
    assert (stored[1]["clock_flag"], stored[1]["estimated_ts"]) == ("jump", at(NOON + 60 - 30))


def test_the_wire_form_of_a_flagged_event_carries_the_clock_note(tmp_path):
    clocks = FakeClocks(0.0)
    record_all(tmp_path, clocks, [lambda r: r.record("session.start")])
    [event] = [wire_event(row) for row in iter_rows(connect(db_path(tmp_path)))]
    assert event["ts"] == "1970-01-01T00:00:00.000Z"
    assert event["clock"] == {"flag": "behind", "estimated_ts": event["clock"]["estimated_ts"],
                              "run": "run-under-test", "mono_ms": 0}


def test_a_log_from_before_the_clock_columns_keeps_its_rows_and_their_wire_form(tmp_path):
    conn = connect(db_path(tmp_path))
    migrate(conn, upto=4)
    with atomic(conn):
        conn.execute("INSERT INTO events (uuid, ts, kiosk_id, kind, payload) VALUES (?, ?, 'k1', 'session.start', '{}')",
                     (new_uuid(), at(NOON)))
    before = [dict(r) for r in conn.execute("SELECT uuid, ts, kiosk_id, session_id, station, kind, payload FROM events")]
    conn.close()
    clocks = FakeClocks(NOON + 60)
    stored = record_all(tmp_path, clocks, [lambda r: r.record("session.start")])
    assert stored[0]["run_id"] is None and stored[0]["clock_flag"] is None
    [old, _new] = [wire_event(row) for row in iter_rows(connect(db_path(tmp_path)))]
    assert {k: old[k] for k in before[0]} == {**before[0], "payload": json.loads(before[0]["payload"])}
    assert set(old) == set(before[0])            # no clock note: the hub's copy still matches
    assert stored[1]["clock_flag"] is None       # the old row's time is the log's newest, and believed


@pytest.mark.parametrize("probe_answer", [None, False])
def test_the_state_the_mediator_and_health_see(probe_answer):
    clocks = FakeClocks(NOON, synchronised=probe_answer)
    watch = clocks.watch(None)
    assert watch.state().health() == {"state": "ok"}
    clocks.advance(20)
    clocks.wall -= 3 * DAY
    state = watch.state()
    assert not state.trusted and state.flag == "jump"
    assert state.health() == {"state": "jump", "reads": at(NOON + 20 - 3 * DAY), "estimated": at(NOON + 20),
                              "correction_s": round(3 * DAY), "since": at(NOON + 20)}

"""A day recorded while the wall clock read 1970 counts on its true day: the mediator's statistics, today's
sessions on the mediator menu, the survey's "today", the groups' comparison and the upload backlog's age
all place an event at the recorder's estimate when the clock was distrusted (kiosk/store/wall_clock.py,
PLACED), and every query that picks events by that time is answered through the index on it; the
data-quality figures count those events."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.groups.results import other_groups_best
from kiosk.store.periods import Period
from kiosk.store.stats import compute_stats, first_event_day, sessions_started_since
from kiosk.store.wall_clock import PLACED
from kiosk.sync.status import read_sync_status
from stations.survey.tally import local_midnight_utc, tally_answers
from tests.store.conftest import PARIS, settings
from tests.store.test_wall_clock import NOON, FakeClocks, record_all

DAY = date(2026, 12, 8)                 # NOON's day, a Tuesday


def a_day_in_1970(tmp_path) -> list[dict]:
    """Morning visitors with the clock right, then the clock falls to 1970 (a flat battery after a power cut)
    and the afternoon's visitors, a survey answer, a wall message, a class and an error are stamped there."""
    clocks = FakeClocks(NOON - 3 * 3600)

    def falls(_rec):
        clocks.advance(3 * 3600)
        clocks.wall = 600.0

    def later(_rec):
        clocks.advance(600)

    group = {"group_id": "g-1", "level": "college", "pupils": 24, "adults": 2}
    challenge = {"group_id": "g-1", "activity": "crowd", "step": "evacuate", "success": 1, "value": 171.0}
    return record_all(tmp_path, clocks, [
        lambda r: r.record("session.start", session_id="s-morning"),
        lambda r: r.record("station.enter", station="crowd", session_id="s-morning"),
        falls,
        lambda r: r.record("session.start", session_id="s-afternoon"),
        lambda r: r.record("station.enter", station="crowd", session_id="s-afternoon"),
        later,
        lambda r: r.record("station.exit", {"seconds": 95.0}, station="crowd", session_id="s-afternoon"),
        lambda r: r.record("survey.answer", {"question": "q1", "choices": ["bus"], "run": "run-1"},
                           station="survey", session_id="s-afternoon"),
        lambda r: r.record("wall.message", {"text": "On marche ensemble"}, station="wall"),
        lambda r: r.record("group.start", group),
        lambda r: r.record("group.challenge", challenge),
        lambda r: r.record("error", {"where": "view"}, station="crowd"),
    ])


def test_the_afternoon_in_1970_counts_on_its_true_day(tmp_path):
    stored = a_day_in_1970(tmp_path)
    assert stored[2]["ts"].startswith("1970-") and stored[2]["clock_flag"]
    conn = connect(db_path(tmp_path))
    try:
        now = datetime.fromtimestamp(NOON + 3600, timezone.utc)
        s = compute_stats(conn, settings(), Period(DAY, DAY), now=now)
        assert s.sessions == 2 and s.sessions_by_day == [(DAY, 2)]
        crowd = {st.station: st for st in s.stations}["crowd"]
        assert (crowd.visits, crowd.dwell_count, crowd.dwell_median_s) == (2, 1, 95.0)
        assert s.contributions["submitted"] == 1 and s.contributions["survey_answers"] == 1
        assert s.groups == [("collège", 1, 24, 2)]
        assert first_event_day(conn, PARIS) == DAY
        midnight = datetime.combine(DAY, datetime.min.time(), tzinfo=PARIS)
        assert sessions_started_since(conn, midnight) == 2
        assert tally_answers(conn, local_midnight_utc(DAY, PARIS))["q1"].respondents == 1
        since = local_midnight_utc(DAY - timedelta(days=30), PARIS)
        assert other_groups_best(conn, activity="crowd", step="evacuate", level="college", better="lower",
                                 exclude_group="other", since=since) == [171.0]
        age = read_sync_status(conn, now=now)["oldest_unsent_age_s"]
        assert age is not None and age < 6 * 3600     # the morning's first event, not 56 years
        # and the data-quality figures say how many events sit at an estimate
        estimated = sum(1 for row in stored if row["estimated_ts"])
        assert estimated >= 8 and s.quality.estimated_events == estimated
        assert compute_stats(conn, settings(), Period(DAY + timedelta(days=1), DAY + timedelta(days=1)),
                             now=now).quality.estimated_events == 0
    finally:
        conn.close()


def test_every_query_by_time_is_answered_through_the_index_on_it(tmp_path):
    a_day_in_1970(tmp_path)
    conn = connect(db_path(tmp_path))
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        now = datetime.fromtimestamp(NOON + 3600, timezone.utc)
        compute_stats(conn, settings(), Period(DAY - timedelta(days=6), DAY), now=now)
        tally_answers(conn, local_midnight_utc(DAY, PARIS))
        other_groups_best(conn, activity="crowd", step="evacuate", level="college", better="lower",
                          exclude_group="other", since=local_midnight_utc(DAY, PARIS))
        conn.set_trace_callback(None)
        ranged = [sql for sql in statements if f"{PLACED} >=" in sql or f"{PLACED} <" in sql]
        assert len(ranged) >= 10
        for sql in ranged:
            plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql))
            assert "USING INDEX events_kind_placed (kind=? AND <expr>" in plan, (sql, plan)   # the range too
        estimated = [sql for sql in statements if "estimated_ts >=" in sql and "COALESCE" not in sql]
        assert len(estimated) == 1
        plan = " ".join(row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + estimated[0]))
        assert "USING COVERING INDEX events_estimated (estimated_ts>? AND estimated_ts<?)" in plan, plan
    finally:
        conn.close()


def test_a_log_from_before_the_index_moves_to_it(tmp_path):
    from kiosk.store.migrations import migrate

    conn = connect(tmp_path / "old.sqlite3")
    try:
        migrate(conn, upto=5)
        assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'events_kind_ts'").fetchone()
        assert migrate(conn) == ["006_placed_index", "007_estimated_index"]
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert "events_kind_placed" in names and "events_kind_ts" not in names and "events_estimated" in names
    finally:
        conn.close()

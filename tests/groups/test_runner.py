"""The challenge judge and the results figures, on tiny cases with known answers."""
from __future__ import annotations

import json
from datetime import date
from zoneinfo import ZoneInfo

from eventlog.sqlite import connect
from eventlog.stamps import new_uuid
from eventlog.wire import db_path
from kiosk.groups.activities import Condition, Goal
from kiosk.groups.manager import clean_label
from kiosk.groups.results import compare, format_value, other_groups_best, since_utc, takehome_url
from kiosk.groups.runner import ChallengeTracker
from kiosk.store.recorder import Recorder

DT = 0.1


def run(tracker: ChallengeTracker, seconds: float, values: dict, finished: bool = False):
    result = None
    for _ in range(round(seconds / DT)):
        result = tracker.update(DT, values.get, finished) or result
    return result


def end_goal(**kw) -> Goal:
    return Goal({"fr": "x"}, (Condition("time_s", "max", 60), Condition("pillars", "max", 2)), **kw)


def test_end_goal_is_judged_when_the_station_ends_the_attempt():
    tracker = ChallengeTracker(3, end_goal(), "time_s")
    assert run(tracker, 5, {"time_s": None, "pillars": 1}) is None
    attempt = run(tracker, 0.1, {"time_s": 55.0, "pillars": 1}, finished=True)
    assert attempt is not None and attempt.success and attempt.value == 55.0 and attempt.step == 3
    failed = ChallengeTracker(3, end_goal(), "time_s")
    run(failed, 1, {"time_s": None, "pillars": 3})
    attempt = run(failed, 0.1, {"time_s": 55.0, "pillars": 3}, finished=True)
    assert attempt is not None and not attempt.success      # three pillars: over the limit


def test_a_station_still_showing_the_previous_end_is_not_counted_again():
    tracker = ChallengeTracker(0, end_goal(), "time_s")
    assert run(tracker, 2, {"time_s": 40.0, "pillars": 0}, finished=True) is None
    assert run(tracker, 0.1, {"time_s": None, "pillars": 0}) is None
    assert run(tracker, 0.1, {"time_s": 42.0, "pillars": 0}, finished=True).value == 42.0


def test_limit_fails_an_attempt_that_never_ends():
    tracker = ChallengeTracker(0, end_goal(limit_s=30), "time_s")
    attempt = run(tracker, 31, {"time_s": None, "pillars": 0})
    assert attempt is not None and not attempt.success and attempt.value is None


def test_hold_goal_needs_the_conditions_true_long_enough_after_being_unmet():
    goal = Goal({"fr": "x"}, (Condition("stopped", "equals", 0),), check="hold", hold_s=10, after_s=2, after_unmet=True)
    tracker = ChallengeTracker(1, goal, "speed")
    assert run(tracker, 30, {"stopped": 0, "speed": 30.0}) is None   # no jam yet: nothing to make disappear
    assert run(tracker, 5, {"stopped": 3, "speed": 15.0}) is None
    assert run(tracker, 9.5, {"stopped": 0, "speed": 29.0}) is None  # not yet 10 s
    assert run(tracker, 1, {"stopped": 1, "speed": 25.0}) is None    # a car stops again: start over
    attempt = run(tracker, 10.5, {"stopped": 0, "speed": 29.0})
    assert attempt is not None and attempt.success and attempt.value == 29.0


def test_stop_leaves_an_unfinished_attempt_interrupted_neither_won_nor_lost():
    quick = ChallengeTracker(0, end_goal(), "time_s")
    run(quick, 1, {"time_s": None, "pillars": 0})
    assert quick.stop() is None                                   # a glance: no attempt at all
    long = ChallengeTracker(0, end_goal(), "time_s")
    run(long, 10, {"time_s": None, "pillars": 0})
    attempt = long.stop()
    assert attempt is not None and attempt.interrupted and not attempt.success and attempt.seconds == 10.0


def clock_goal() -> Goal:
    return Goal({"fr": "x"}, (Condition("time_s", "max", 60, live="clock_s"), Condition("pillars", "max", 2)))


def test_a_live_clock_past_a_max_makes_the_attempt_lost_before_the_station_measures_it():
    tracker = ChallengeTracker(0, clock_goal(), "time_s")
    assert "clock_s" in tracker.metrics
    run(tracker, 1, {"time_s": None, "clock_s": 59.5, "pillars": 0})
    assert not tracker.hopeless and tracker.result is None
    run(tracker, 1, {"time_s": None, "clock_s": 60.5, "pillars": 0})
    assert tracker.hopeless and tracker.passed(clock_goal().conditions[0]) and tracker.result is None
    assert not tracker.passed(clock_goal().conditions[1])
    lost = tracker.stop()                                         # « Réessayer » without waiting for the end
    assert lost is not None and not lost.interrupted and not lost.success and lost.value is None
    measured = ChallengeTracker(0, clock_goal(), "time_s")        # once measured, the measure is what counts
    run(measured, 1, {"time_s": 58.0, "clock_s": 61.0, "pillars": 0})
    assert not measured.hopeless


def _runner(record):
    from kiosk.groups.activities import load_activities
    from kiosk.groups.runner import ActivityRunner, Attempt

    activity = next(a for a in load_activities()[0] if a.id == "crowds")
    runner = ActivityRunner(activity, "college", group_id="g", record=lambda kind, payload, **kw: record.append(payload))
    index = activity.challenges()[0]
    return runner, index, lambda value, success, interrupted=False: Attempt(index, "evacuation_time_s", value, success,
                                                                            100.0, interrupted)


def test_interrupted_attempts_are_not_logged_and_shown_only_when_no_attempt_ended():
    log: list[dict] = []
    runner, index, attempt = _runner(log)
    runner.add_attempt(attempt(None, False, interrupted=True))
    assert [a.interrupted for a in runner.shown_attempts(index)] == [True] and runner.best(index) is None
    runner.add_attempt(attempt(130.0, True))
    runner.add_attempt(attempt(None, False, interrupted=True))   # the room started again by itself, the class left
    assert [(a.value, a.success) for a in runner.shown_attempts(index)] == [(130.0, True)]
    runner.add_attempt(attempt(90.0, False, interrupted=True))   # a reading, but no verdict: not a score
    assert runner.best(index) == 130.0
    assert [p["value"] for p in log] == [130.0]


def test_a_score_near_its_limit_is_shown_on_the_right_side_of_it():
    assert format_value(135.4, "s", "fr", (135,)) == "135,4 s"   # a fail never reads « 135 s » against « 135 max »
    assert format_value(134.6, "s", "fr", (135,)) == "134,6 s"
    assert format_value(135.04, "s", "en", (135,)) == "135.04 s"
    assert format_value(135.0, "s", "fr", (135,)) == "135 s"
    assert format_value(120.4, "s", "fr", (135,)) == "120 s"     # far from the limit: whole seconds
    assert format_value(9.96, "", "fr", (10,)) == "9,96"


def _group(rec: Recorder, level: str, values: list[tuple[float, bool]], *, ts: str = "2026-11-20T10:00:00.000Z",
           step: str = "empty-room") -> str:
    gid = new_uuid()
    rec.record("group.start", {"group_id": gid, "level": level, "pupils": 20, "adults": 2, "activity": "crowds"}, ts=ts)
    for value, success in values:
        rec.record("group.challenge", {"group_id": gid, "metric": "evacuation_time_s", "value": value, "success": success,
                                       "activity": "crowds", "step": step}, ts=ts)
    return gid


def test_other_groups_best_scores_of_the_same_level_since_the_venue_opened(tmp_path):
    rec = Recorder(tmp_path, "k", flush_interval=0.01)
    _group(rec, "college", [(80.0, False), (70.0, True), (65.0, True)])        # best 65
    _group(rec, "college", [(72.0, True)])                                    # best 72
    _group(rec, "college", [(50.0, False)])                                   # never succeeded: not compared
    _group(rec, "elementaire", [(40.0, True)])                                # another level
    _group(rec, "college", [(30.0, True)], ts="2026-10-01T10:00:00.000Z")     # before this venue
    _group(rec, "college", [(31.0, True)], step="other")                      # another challenge
    ours = _group(rec, "college", [(60.0, True)])
    rec.close()
    since = since_utc(date(2026, 11, 1), ZoneInfo("Europe/Paris"))
    assert since == "2026-10-31T23:00:00.000Z"
    conn = connect(db_path(tmp_path))
    others = other_groups_best(conn, activity="crowds", step="empty-room", level="college", better="lower",
                               since=since, exclude_group=ours)
    assert others == [65.0, 72.0]
    assert other_groups_best(conn, activity="crowds", step="empty-room", level="college", better="higher",
                             since=since, exclude_group=ours) == [70.0, 72.0]
    conn.close()
    assert compare(60.0, others, "lower").rank == 1
    assert (compare(70.0, others, "lower").rank, compare(70.0, others, "lower").others) == (2, 2)
    assert compare(70.0, others, "higher").rank == 2
    assert compare(None, others, "lower") is None


def test_take_home_link_labels_and_numbers():
    gid = new_uuid()
    url = takehome_url("https://qsec.example.org/", gid)
    assert url.startswith("https://qsec.example.org/g/") and len(url.rsplit("/", 1)[1]) == 10
    assert url == takehome_url("https://qsec.example.org", gid)
    assert clean_label("  CM2   B ") == "CM2 B"
    assert clean_label("6e<script>") == "6escript"
    assert len(clean_label("A" * 40)) == 12
    assert format_value(54.321, "s") == "54 s"
    assert format_value(2.5, "km/h") == "2,5 km/h" and format_value(2.5, "km/h", "en") == "2.5 km/h"
    assert format_value(None, "s") == "…"
    assert json.dumps(format_value(0, "")) == '"0"'

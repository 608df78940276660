"""Statistics on prepared logs with known answers: local hours across both daylight-saving changes,
zero-footfall days, sensor gaps, dwell percentiles, moderation state, restarts, backlog."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from kiosk.store.periods import Period, utc_bounds
from kiosk.store.stats import compute_stats
from tests.store.conftest import PARIS, settings

NOW = datetime(2027, 6, 1, tzinfo=timezone.utc)


def stats_for(log, first, last, now=NOW, **kw):
    return log.query(lambda c: compute_stats(c, settings(**kw), Period(first, last), now=now))


def test_autumn_change_day_has_25_hours_and_two_local_2am(log):
    d = date(2026, 10, 25)
    assert utc_bounds(Period(d, d), PARIS) == ("2026-10-24T22:00:00.000Z", "2026-10-25T23:00:00.000Z")
    log.minute("2026-10-24T21:59Z", 100)   # 23:59 CEST on the 24th: not the 25th
    log.minute("2026-10-24T22:30Z", 1)     # 00:30 CEST
    log.minute("2026-10-25T00:10Z", 2)     # 02:10 CEST
    log.minute("2026-10-25T01:10Z", 4)     # 02:10 CET, the same local hour again
    log.minute("2026-10-25T02:10Z", 8)     # 03:10 CET
    log.minute("2026-10-25T22:59Z", 16)    # 23:59 CET
    log.minute("2026-10-25T23:00Z", 200)   # 00:00 on the 26th
    log.add("session.start", "2026-10-25T01:30Z", session="s1")
    log.add("session.start", "2026-10-24T21:30Z", session="s0")
    s = stats_for(log, d, d)
    hours = s.hours_of(d)
    assert hours[0] == 1 and hours[1] is None and hours[2] == 6 and hours[3] == 8 and hours[23] == 16
    assert s.footfall_by_day == [(d, 31, 0)] and s.footfall_in == 31
    assert s.sessions == 1 and s.hours_of(d, "sessions")[2] == 1
    s2 = stats_for(log, date(2026, 10, 24), date(2026, 10, 26))
    assert [n for _, n, _ in s2.footfall_by_day] == [100, 31, 200]


def test_spring_change_day_has_23_hours_and_no_2am(log):
    d = date(2027, 3, 28)
    assert utc_bounds(Period(d, d), PARIS) == ("2027-03-27T23:00:00.000Z", "2027-03-28T22:00:00.000Z")
    log.minute("2027-03-27T22:59Z", 100)   # 23:59 CET on the 27th
    log.minute("2027-03-27T23:00Z", 1)     # 00:00 CET
    log.minute("2027-03-28T00:30Z", 2)     # 01:30 CET
    log.minute("2027-03-28T01:30Z", 4)     # 03:30 CEST (02:xx does not exist)
    log.minute("2027-03-28T21:59Z", 8)     # 23:59 CEST
    log.minute("2027-03-28T22:00Z", 200)   # 00:00 CEST on the 29th
    log.add("session.start", "2027-03-28T21:59:59Z", session="a")
    log.add("session.start", "2027-03-28T22:00:00Z", session="b")
    s = stats_for(log, d, d)
    hours = s.hours_of(d)
    assert hours[:4] == [1, 2, None, 4] and hours[23] == 8
    assert s.footfall_in == 15 and s.sessions == 1
    assert s.hours_of(d, "sessions")[23] == 1


def test_zero_footfall_day_is_zero_and_a_silent_day_is_no_data(log):
    # 2026-11-03 (Tuesday) the counter was connected and counted nobody (the hardware writes no row
    # for a minute without passages); 2026-11-04 no counter was listening at all.
    log.add("kiosk.start", "2026-11-03T08:50Z", {"version": "1"})
    log.status("2026-11-03T08:51Z", "connected")
    log.add("kiosk.stop", "2026-11-03T17:10Z", {"reason": "closing"})
    log.add("kiosk.start", "2026-11-05T08:50Z", {"version": "1"})
    log.minute("2026-11-05T10:00Z", 10, 4)
    log.add("session.start", "2026-11-04T10:00Z", session="x")   # no counter data that day
    log.add("session.start", "2026-11-05T10:00Z", session="y")
    log.add("session.start", "2026-11-05T11:00Z", session="z")
    s = stats_for(log, date(2026, 11, 3), date(2026, 11, 5))
    assert s.footfall_by_day == [(date(2026, 11, 3), 0, 0), (date(2026, 11, 4), None, None), (date(2026, 11, 5), 10, 4)]
    assert s.hours_of(date(2026, 11, 3))[8:20] == [None] + [0] * 10 + [None]   # 09:51 to 18:10 local
    assert s.footfall_in == 10
    assert s.use_rate == pytest.approx(2 / 10)  # the session of the silent day is left out of the rate
    assert [n for _, n in s.sessions_by_day] == [0, 1, 2]


def test_local_minutes_as_the_hardware_writes_them(log):
    # The counter writes the venue's local minute; on 2026-10-25 02:10 happens twice.
    for ts, minute, n in [("2026-10-25T00:11:00Z", "2026-10-25T02:10", 2), ("2026-10-25T01:11:00Z", "2026-10-25T02:10", 4),
                          ("2026-10-24T22:01:00Z", "2026-10-25T00:00", 1), ("2026-10-24T21:59:59Z", "2026-10-24T23:59", 100),
                          ("2026-10-25T23:00:30Z", "2026-10-25T23:59", 8)]:
        log.add("footfall.minute", ts, {"sensor": "door", "minute": minute, "in": n, "out": 0})
    d = date(2026, 10, 25)
    s = stats_for(log, d, d)
    hours = s.hours_of(d)
    assert hours[0] == 1 and hours[2] == 6 and hours[23] == 8 and s.footfall_in == 15


def test_no_counter_is_not_zero(log):
    log.add("session.start", "2026-11-05T10:00Z", session="y")
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5))
    assert s.footfall_source == "no_counter" and s.footfall_in is None and s.use_rate is None
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5), counters=("door",))
    assert s.footfall_source == "no_data"
    log.minute("2026-11-01T10:00Z", 3)  # a counter reported on another day
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5))
    assert s.footfall_source == "no_data"


def test_minute_field_in_an_unknown_form_falls_back_to_ts(log):
    log.add("footfall.minute", "2026-11-05T10:00:30Z", {"sensor": "door", "minute": "10:00", "in": 3, "out": 0})
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5))
    assert s.hours_of(date(2026, 11, 5))[11] == 3  # 10:00 UTC = 11:00 CET


def test_sensor_gaps_are_opening_minutes_offline(log):
    hours = {d: None for d in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")}
    hours["thursday"] = (time(10), time(13))      # 2026-11-05 is a Thursday: hours 10, 11, 12
    hours["friday"] = (time(10), time(12, 30))    # 2026-11-06: 10, 11 and half of 12
    log.add("kiosk.start", "2026-11-05T08:50Z", {"version": "1"})
    log.status("2026-11-05T08:51Z", "connected")                 # 09:51 local
    log.status("2026-11-05T10:00Z", "offline")                   # 11:00 local, until the kiosk stops
    log.status("2026-11-05T11:00Z", "warming_up", sensor="air")  # the air sensor's first word, 12:00
    log.add("kiosk.stop", "2026-11-05T12:10Z", {"reason": "closing"})
    log.add("kiosk.start", "2026-11-06T08:55Z", {"version": "1"})
    log.status("2026-11-06T09:30Z", "connected")                 # door silent from 09:55 to 10:30 local
    log.status("2026-11-06T10:00Z", "connected", sensor="air")   # air silent until 11:00 local
    log.status("2026-11-06T11:10Z", "offline")                   # 12:10 local
    now = datetime(2026, 11, 6, 11, 20, tzinfo=timezone.utc)     # 12:20 local on Friday
    s = stats_for(log, date(2026, 11, 4), date(2026, 11, 6), now=now, hours=hours, counters=("door",))
    q = s.quality
    thu, fri = date(2026, 11, 5), date(2026, 11, 6)
    assert q.offline_slots["door"] == {(thu, 11): 60, (thu, 12): 60, (fri, 10): 30, (fri, 12): 10}
    assert q.offline_slots["air"] == {(fri, 10): 60}   # before its first status it was not there yet
    assert q.offline_hours == {"air": 1.0, "door": pytest.approx(160 / 60, abs=0.01)}
    # Footfall: zero while the door counter listened, no data while it was offline.
    assert s.hours_of(thu)[9:14] == [0, 0, None, None, None]
    assert s.hours_of(fri)[9:13] == [None, 0, 0, 0]


def test_stations_dwell_median_and_p75(log):
    for i, sec in enumerate([10, 20, 30, 40]):
        log.add("station.enter", f"2026-11-05T10:{i:02d}:00Z", station="crowd", session=f"s{i}")
        log.add("station.exit", f"2026-11-05T10:{i:02d}:30Z", {"seconds": sec}, station="crowd", session=f"s{i}")
    log.add("station.enter", "2026-11-05T11:00Z", station="wall", session="s9")  # never exited (crash)
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5))
    crowd, wall = s.stations
    assert (crowd.station, crowd.visits, crowd.dwell_median_s, crowd.dwell_p75_s) == ("crowd", 4, 25.0, 32.5)
    assert (wall.station, wall.visits, wall.dwell_median_s) == ("wall", 1, None)


def test_contributions_take_the_latest_moderation(log):
    m = [log.add("wall.message", f"2026-11-05T10:0{i}Z", {"question": "q"}, station="wall") for i in range(4)]
    log.add("moderation.approved", "2026-11-05T12:00Z", {"target": m[0]})
    log.add("moderation.rejected", "2026-11-05T12:01Z", {"target": m[1]})
    log.add("moderation.approved", "2026-11-05T12:02Z", {"target": m[3]})
    log.add("moderation.rejected", "2026-11-05T12:03Z", {"target": m[3]})
    log.add("wall.message", "2026-11-09T10:00Z", {"question": "q"}, station="wall")  # outside
    log.add("survey.answer", "2026-11-05T10:00Z", {"question": "q", "choices": ["a"]}, station="survey")
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5))
    assert s.contributions == {"submitted": 4, "approved": 1, "rejected": 2, "waiting": 1,
                               "survey_answers": 1, "surveys_completed": 0}


def test_groups_restarts_errors_backlog(log):
    for ts, level, pupils, adults in [("2026-11-05T08:00Z", "élémentaire", 25, 2),
                                      ("2026-11-05T09:00Z", "élémentaire", 20, 3),
                                      ("2026-11-05T13:00Z", "collège", 28, 2)]:
        log.add("group.start", ts, {"group_id": ts, "level": level, "pupils": pupils, "adults": adults, "activity": "a"})
    log.add("kiosk.start", "2026-11-04T08:00Z", {"version": "1"})   # before the period
    log.add("kiosk.start", "2026-11-05T08:00Z", {"version": "1"})   # unclean (no stop since the 4th)
    log.add("kiosk.stop", "2026-11-05T12:00Z", {"reason": "quit"})
    log.add("kiosk.start", "2026-11-05T12:05Z", {"version": "1"})   # clean
    log.add("kiosk.start", "2026-11-05T15:00Z", {"version": "1"})   # unclean
    log.add("error", "2026-11-05T14:00Z", {"where": "crowd.update", "message": "x"}, station="crowd")
    log.add("error", "2026-11-05T14:01Z", {"where": "crowd.draw", "message": "x"}, station="crowd")
    log.add("error", "2026-11-05T14:02Z", {"where": "app", "message": "x"})
    # As kiosk/errors.py records them: no station column, the place in `where`.
    log.add("error", "2026-11-05T14:03Z", {"where": "traffic.update", "message": "x"})
    log.add("error", "2026-11-05T14:04Z", {"where": "app.frame", "message": "x"})
    log.add("error", "2026-11-05T14:05Z", {"where": "mediator.statistics", "message": "x"})
    log.add("error", "2026-11-05T14:06Z", {"where": "group.update", "message": "x"})
    log.add("error", "2026-11-05T14:07Z", {"where": "uploader", "message": "x"})
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5), upload_configured=True)
    assert s.groups == [("élémentaire", 2, 45, 5), ("collège", 1, 28, 2)]   # school order
    assert (s.quality.kiosk_starts, s.quality.unclean_restarts) == (3, 2)
    assert s.quality.errors == [("crowd", 2), ("traffic", 1)]
    assert s.quality.runtime_errors == [("kiosk", 2), ("groups", 1), ("mediator", 1), ("upload", 1)]
    assert (s.quality.error_count, s.quality.runtime_error_count) == (3, 5)
    total = log.query(lambda c: c.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    assert s.quality.upload_backlog == total
    log.rec._conn.execute("INSERT INTO sync_state VALUES ('upload_cursor', '5')")
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5), upload_configured=True)
    assert s.quality.upload_backlog == total - 5
    assert stats_for(log, date(2026, 11, 5), date(2026, 11, 5)).quality.upload_backlog is None


def test_occupancy_and_heatmap(log):
    now = datetime(2026, 11, 5, 14, 0, tzinfo=timezone.utc)
    log.minute("2026-11-05T10:00Z", 10, 1)
    log.minute("2026-11-05T11:00Z", 5, 8)
    log.minute("2026-10-29T10:00Z", 4, 4)   # the Thursday before, same hour
    s = stats_for(log, date(2026, 10, 29), date(2026, 11, 5), now=now)
    assert s.occupancy_now == 6
    assert s.heatmap[3][11] == pytest.approx(7.0)   # Thursday 11:00 local: (10 + 4) / 2 days
    assert s.heatmap[3][12] == pytest.approx(5.0)
    assert s.heatmap[0][11] is None


def test_days_not_open_yet_and_days_before_the_log(log):
    log.add("kiosk.start", "2026-11-03T08:50Z", {"version": "1"})     # the log begins on Tuesday the 3rd
    log.add("session.start", "2026-11-03T09:20Z", session="s1")
    before_opening = datetime(2026, 11, 5, 8, 0, tzinfo=timezone.utc)   # Thursday 09:00 in Paris, opens at 10:00
    s = stats_for(log, date(2026, 11, 2), date(2026, 11, 6), now=before_opening)
    assert s.log_first_day == date(2026, 11, 3)
    assert s.not_open_yet == {date(2026, 11, 5), date(2026, 11, 6)}
    assert [d.day for d in s.period.days() if s.recorded(d)] == [3, 4, 5]
    assert [d.day for d in s.opening_days()] == [2, 3, 4]
    after_opening = datetime(2026, 11, 5, 9, 30, tzinfo=timezone.utc)   # 10:30 in Paris
    s = stats_for(log, date(2026, 11, 2), date(2026, 11, 6), now=after_opening)
    assert s.not_open_yet == {date(2026, 11, 6)}
    closed_today = stats_for(log, date(2026, 11, 5), date(2026, 11, 5), now=before_opening,
                             hours={d: None for d in ("monday", "tuesday", "wednesday", "thursday", "friday",
                                                      "saturday", "sunday")})
    assert closed_today.not_open_yet == set() and closed_today.opening_days() == []


def test_groups_in_school_order_whatever_the_spelling_of_the_level(log):
    for i, level in enumerate(["lycee", "collège", "maternelle", "college", "autre", "elementaire", "Élémentaire"]):
        log.add("group.start", f"2026-11-05T09:{i:02d}Z",
                {"group_id": str(i), "level": level, "pupils": 10, "adults": 1, "activity": "a"})
    s = stats_for(log, date(2026, 11, 5), date(2026, 11, 5))
    assert s.groups == [("maternelle", 1, 10, 1), ("élémentaire", 2, 20, 2), ("collège", 2, 20, 2),
                        ("lycée", 1, 10, 1), ("autre", 1, 10, 1)]

"""The simulated month is valid event by event, seeded, and has the features the screens must show."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from kiosk.demo_data import simulate_month
from kiosk.events import validate_payload
from kiosk.store.periods import Period
from kiosk.store.reader import StoreReader
from kiosk.store.stats import compute_stats
from tests.store.conftest import settings

END = datetime(2026, 11, 25, 16, 30, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo")
    counts = simulate_month(path, end=END, days=30, seed=7)
    reader = StoreReader(path)
    yield path, counts, reader
    reader.close()


def test_every_event_fits_the_catalogue(month):
    _, counts, reader = month
    rows = reader.query(lambda c: c.execute("SELECT kind, payload, ts, station FROM events").fetchall())
    assert len(rows) == sum(counts.values())
    problems = [(k, validate_payload(k, json.loads(p))) for k, p, _, _ in rows if validate_payload(k, json.loads(p))]
    assert problems == []
    assert max(ts for _, _, ts, _ in rows) < "2026-11-25T16:30:00.000Z"
    assert all(s for k, _, _, s in rows if k in ("station.enter", "station.exit"))
    for kind in ("footfall.minute", "sensor.air", "session.start", "session.end", "station.enter", "survey.answer",
                 "wall.message", "moderation.approved", "moderation.rejected", "group.start", "group.end",
                 "kiosk.start", "kiosk.stop", "error", "sensor.status"):
        assert counts.get(kind, 0) > 0, kind


def test_sessions_never_overlap_on_one_screen(month):
    _, _, reader = month
    rows = reader.query(lambda c: c.execute(
        "SELECT session_id, kind, ts FROM events WHERE kind IN ('session.start', 'session.end') ORDER BY ts, seq").fetchall())
    open_session = None
    for sid, kind, _ in rows:
        if kind == "session.start":
            assert open_session is None
            open_session = sid
        else:
            assert sid == open_session
            open_session = None


def test_the_month_has_what_a_mediator_should_see(month):
    _, _, reader = month
    s = reader.query(lambda c: compute_stats(c, settings(hours={
        **{d: None for d in ("monday", "sunday")},
        **{d: (datetime.min.time().replace(hour=10), datetime.min.time().replace(hour=18))
           for d in ("tuesday", "wednesday", "thursday", "friday", "saturday")}}),
        Period(date(2026, 10, 27), date(2026, 11, 25)), now=END))
    by_day = dict((d, n) for d, n, _ in s.footfall_by_day)
    assert by_day[date(2026, 11, 11)] == 0          # a holiday with the counter on: zero, not missing
    assert by_day[date(2026, 11, 8)] is None         # Sunday: closed, no data
    assert 2000 < s.footfall_in < 6000 and 300 < s.sessions < 1500
    assert 0.05 < s.use_rate < 0.5
    assert s.quality.offline_hours["porte"] > 6 and s.quality.unclean_restarts == 2
    assert s.heatmap[2][16] > s.heatmap[2][12]       # Wednesday afternoon busier than lunch
    assert {lvl for lvl, *_ in s.groups} <= {"maternelle", "élémentaire", "collège", "lycée"}


def test_seeded(tmp_path):
    a = simulate_month(tmp_path / "a", end=END, days=3, seed=3)
    b = simulate_month(tmp_path / "b", end=END, days=3, seed=3)
    assert a == b


def test_demo_cli_refuses_a_log_with_events(tmp_path, capsys):
    from kiosk.demo_data import demo_main
    from tests.report.conftest import write_config

    cfg = write_config(tmp_path, tmp_path / "data")
    assert demo_main(["--days", "7", "--config", cfg]) == 0   # a week always has opening days
    assert "simulated events written" in capsys.readouterr().out
    assert demo_main(["--days", "7", "--config", cfg]) == 2
    assert "already holds events" in capsys.readouterr().err
    assert demo_main(["--days", "0", "--config", cfg]) == 2


def test_stats_agree_with_a_plain_python_recount_of_the_rows(month):
    """The SQL/bucketing path against a naive recount of the raw rows (local dates by zoneinfo)."""
    import statistics
    from zoneinfo import ZoneInfo

    from kiosk.store.db import parse_ts

    _, _, reader = month
    paris = ZoneInfo("Europe/Paris")
    first, last = date(2026, 11, 3), date(2026, 11, 20)
    rows = reader.query(lambda c: c.execute("SELECT kind, ts, station, payload FROM events").fetchall())
    footfall = sessions = 0
    dwell: dict[str, list[float]] = {}
    for kind, ts, station, payload in rows:
        p = json.loads(payload)
        if kind == "footfall.minute":
            if first <= date.fromisoformat(p["minute"][:10]) <= last:   # the hardware's local minute
                footfall += p["in"]
        elif first <= parse_ts(ts).astimezone(paris).date() <= last:
            sessions += kind == "session.start"
            if kind == "station.exit":
                dwell.setdefault(station, []).append(p["seconds"])
    s = reader.query(lambda c: compute_stats(c, settings(counters=("porte",)), Period(first, last), now=END))
    assert s.footfall_in == footfall and s.sessions == sessions
    assert {x.station: x.dwell_median_s for x in s.stations} == pytest.approx(
        {k: statistics.median(v) for k, v in dwell.items()})

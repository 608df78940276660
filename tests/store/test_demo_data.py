"""The simulated month is valid event by event, seeded, and has the features the screens must show."""
from __future__ import annotations

import json
import statistics
from datetime import date, datetime, timezone

import pytest

from eventlog.kinds import validate_payload
from kiosk.demo_data import simulate_month
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
    assert {lvl for lvl, *_ in s.groups} <= {"maternelle", "élémentaire", "collège", "lycée", "autre"}


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

    from eventlog.stamps import parse_ts

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


def _events(reader, kind):
    return [json.loads(p) for (p,) in reader.query(
        lambda c: c.execute("SELECT payload FROM events WHERE kind = ? ORDER BY seq", (kind,)).fetchall())]


def test_survey_answers_match_the_completed_passes(month):
    """Issue: 664 answers against 43 completions. A finished pass has about five answers (one per
    question, a few skipped); an abandoned one fewer and no survey.complete."""
    from kiosk.demo_data import _survey_questions

    _, _, reader = month
    answers, completes = _events(reader, "survey.answer"), _events(reader, "survey.complete")
    assert all(set(a) == {"question", "choices", "run"} and a["choices"] for a in answers)
    assert all(set(c) == {"answered", "run"} for c in completes)
    per_run: dict[str, list[str]] = {}
    for a in answers:
        per_run.setdefault(a["run"], []).append(a["question"])
    n_questions = len(_survey_questions())
    for c in completes:
        assert len(per_run[c["run"]]) == c["answered"] <= n_questions
        assert len(set(per_run[c["run"]])) == c["answered"]          # each question once per pass
    done = {c["run"] for c in completes}
    finished = [len(q) for r, q in per_run.items() if r in done]
    abandoned = [len(q) for r, q in per_run.items() if r not in done]
    assert len(completes) > 60 and len(finished) / len(per_run) > 0.55
    assert n_questions - 1 < statistics.mean(finished) <= n_questions
    assert abandoned and max(abandoned) < n_questions and statistics.mean(abandoned) < 3
    assert len(answers) / len(completes) < n_questions + 1.5


def test_wall_messages_are_varied_and_some_are_drawings(month):
    """Issue: 97 messages, no drawing, five texts. Payloads carry only what the wall station records;
    each drawing is a real PNG stored where the station stores it, named by its SHA-256."""
    import hashlib
    import tomllib

    from kiosk.paths import CONTENT_DIR
    from eventlog.wire import attachment_path

    path, _, reader = month
    with open(CONTENT_DIR / "wall.toml", "rb") as fh:
        question_ids = {q["id"] for q in tomllib.load(fh)["question"]}
    messages = reader.query(lambda c: c.execute(
        "SELECT m.payload, a.kind FROM events m LEFT JOIN events a ON a.kind LIKE 'moderation.%' "
        "AND json_extract(a.payload, '$.target') = m.uuid WHERE m.kind = 'wall.message'").fetchall())
    payloads = [json.loads(p) for p, _ in messages]
    assert len(payloads) > 50
    for p in payloads:
        assert set(p) <= {"question", "flags", "text", "drawing_sha256", "lang"}, p
        assert p["question"] in question_ids and p["lang"] in ("fr", "en") and ("text" in p or "drawing_sha256" in p)
    drawings = [p["drawing_sha256"] for p in payloads if "drawing_sha256" in p]
    assert 0.15 < len(drawings) / len(payloads) < 0.6 and len(set(drawings)) == len(drawings)
    for sha in drawings:
        data = attachment_path(path, sha).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and data.startswith(b"\x89PNG\r\n\x1a\n")
        assert data[16:24] == (1200).to_bytes(4, "big") + (720).to_bytes(4, "big")   # the wall's paper
    approved = [json.loads(p)["text"] for p, verdict in messages
                if verdict == "moderation.approved" and "text" in json.loads(p)]
    assert len(set(approved)) > 0.75 * len(approved) and len(set(approved)) > 30
    assert any(p["lang"] == "en" for p in payloads) and sum(p["lang"] == "fr" for p in payloads) > 0.8 * len(payloads)


def test_wall_texts_are_on_the_season_questions_and_flagged_as_the_precheck_would():
    import tomllib

    from kiosk.demo_visitors import OFF_TOPIC, WALL_TEXTS
    from kiosk.paths import CONTENT_DIR
    from stations.wall.model import MAX_TEXT
    from stations.wall.precheck import default_precheck

    with open(CONTENT_DIR / "wall.toml", "rb") as fh:
        assert set(WALL_TEXTS) == {q["id"] for q in tomllib.load(fh)["question"]}
    check = default_precheck()
    texts = [t for pairs in WALL_TEXTS.values() for _, t in pairs]
    assert len(set(texts)) == len(texts) > 50
    assert all(check.flags(t) == [] and len(t) <= MAX_TEXT for t in texts), [(t, check.flags(t)) for t in texts if check.flags(t)]
    assert all(check.flags(t) == flags for t, flags in OFF_TOPIC if t is not None)


def test_seeded_down_to_the_drawings(tmp_path):
    def content(path):
        reader = StoreReader(path)
        try:
            rows = reader.query(lambda c: c.execute("SELECT ts, kind, payload FROM events WHERE kind IN "
                                                    "('wall.message', 'survey.answer') ORDER BY seq").fetchall())
        finally:
            reader.close()
        return [tuple(r) for r in rows], sorted(p.name for p in (path / "attachments").glob("*.png"))

    simulate_month(tmp_path / "a", end=END, days=6, seed=5)
    simulate_month(tmp_path / "b", end=END, days=6, seed=5)
    a, b = content(tmp_path / "a"), content(tmp_path / "b")
    assert a == b and a[1]


def test_groups_are_recorded_as_the_kiosk_records_them(month):
    """Level ids and activity ids the kiosk knows, the fields kiosk/groups writes (group.start as
    tests/groups/test_lifecycle.py pins it), steps in order up to the results screen, challenge scores on
    the activity's own steps and metrics, quiz answers that are choices of the question."""
    from kiosk.groups.activities import LEVELS, load_activities
    from kiosk.groups.manager import FREE_VISIT

    _, _, reader = month
    activities = {a.id: a for a in load_activities()[0]}
    rows = reader.query(lambda c: c.execute(
        "SELECT kind, station, payload FROM events WHERE kind LIKE 'group.%' ORDER BY seq").fetchall())
    groups: dict[str, list[tuple[str, str | None, dict]]] = {}
    for kind, station, payload in rows:
        p = json.loads(payload)
        groups.setdefault(p["group_id"], []).append((kind, station, p))
    assert len(groups) >= 4
    seen_activities = set()
    for gid, events in groups.items():
        (kind, _, start), *rest = events
        assert kind == "group.start" and set(start) == {"group_id", "level", "pupils", "adults", "activity", "label"}
        assert start["level"] in LEVELS
        assert rest[-1][0] == "group.end" and set(rest[-1][2]) == {"group_id", "reason", "step"}
        if start["activity"] == FREE_VISIT:
            assert [k for k, _, _ in rest] == ["group.end"] and not any(a.variant(start["level"]) for a in activities.values())
            continue
        activity = activities[start["activity"]]
        seen_activities.add(activity.id)
        assert activity.variant(start["level"]) is not None
        steps = [p for k, _, p in rest if k == "group.step"]
        assert [p["step"] for p in steps] == list(range(len(activity.steps) + 1))
        assert [p["kind"] for p in steps] == [s.kind for s in activity.steps] + ["results"]
        by_id = {s.id: s for s in activity.steps}
        for kind, station, p in rest:
            if kind != "group.challenge":
                continue
            step = by_id[p["step"]]
            assert p["activity"] == activity.id
            if step.kind == "quiz":
                assert p["metric"] == "quiz" and 0 <= p["value"] < len(step.choices)
                assert p["success"] == step.choices[p["value"]].correct
            else:
                assert step.kind == "challenge" and p["metric"] == step.score and station == step.station
                assert set(p) == {"group_id", "metric", "value", "success", "activity", "step", "seconds"}
    assert seen_activities == set(activities)


def test_visitors_play_the_shipped_scenarios(month):
    from kiosk.groups.activities import station_scenarios
    from stations.crowd import Station as Crowd
    from stations.traffic import Station as Traffic

    _, _, reader = month
    for kind, cls in (("crowd.attempt", Crowd), ("traffic.attempt", Traffic)):
        used = {p["scenario"] for p in _events(reader, kind)}
        assert used and used <= station_scenarios(cls), (kind, used)


def test_door_minutes_carry_the_board_state_as_the_reader_writes_it(month):
    _, _, reader = month
    minutes = _events(reader, "footfall.minute")
    assert all(set(m) == {"sensor", "minute", "in", "out", "device", "boot_id", "seq", "total_in", "total_out"}
               for m in minutes)
    by_boot: dict[str, list[dict]] = {}
    for m in minutes:
        by_boot.setdefault(m["boot_id"], []).append(m)
    for rows in by_boot.values():        # totals grow by the minute's passages within a boot
        for before, after in zip(rows, rows[1:]):
            assert after["total_in"] - before["total_in"] == after["in"] and after["seq"] > before["seq"]

"""Survey flow (answer, back, skip, multiple choice), recording, aggregates over a prepared log,
the visitor's highlight and the reading sentence."""
import datetime as dt
import json

import pytest

from kiosk.content import ContentError, localise
from stations.survey import Station
from stations.survey.model import SurveyFlow, load_survey, parse_survey
from stations.survey.tally import (Periods, Tally, hub_tally, read_hub_totals, reading_sentence, snapshot, tally_answers,
                                   with_own_answers)
from tests.participation.conftest import Driver, events_of

QUESTIONS = load_survey("survey.toml")
PARIS = dt.timezone(dt.timedelta(hours=1))   # only used to build expectations


def test_default_survey_has_the_season_questions():
    ids = [q.id for q in QUESTIONS]
    assert ids[:5] == ["came_by", "trip_time", "usual", "home_area", "would_change"]
    came_by = {c.id for c in QUESTIONS[0].choices}
    assert {"walk", "bike", "scooter", "bus", "tram", "rail", "car", "carpool", "other"} <= came_by
    home = [c for c in QUESTIONS[3].choices]
    assert [c.badge for c in home if c.badge] == ["75", "77", "78", "91", "92", "93", "94", "95"]
    assert all(c.label.get("en") for q in QUESTIONS for c in q.choices)


def test_flow_answer_back_skip_and_multiple_choice():
    flow = SurveyFlow(list(QUESTIONS))
    assert flow.progress()[0] == "current" and not flow.back()
    assert flow.choose("bike") == ("came_by", ("bike",))
    assert flow.index == 1
    assert flow.skip() and flow.index == 2
    assert flow.progress()[:3] == ["answered", "skipped", "current"]
    # multiple choice: ticks toggle, nothing is answered before confirm
    assert flow.choose("bus") is None and flow.choose("walk") is None and flow.choose("bus") is None
    assert flow.pending == ["walk"]
    assert flow.choose("tram") is None
    assert flow.confirm() == ("usual", ("walk", "tram"))       # in the content's order
    # back shows the earlier ticks again, and an unknown choice is ignored
    assert flow.back() and flow.current.id == "usual" and sorted(flow.pending) == ["tram", "walk"]
    assert flow.choose("nonsense") is None
    assert flow.back() and flow.back() and flow.current.id == "came_by"
    assert flow.selected(flow.current) == ("bike",)
    assert flow.choose("walk") == ("came_by", ("walk",))       # a changed answer
    assert flow.answers["came_by"] == ("walk",)


def test_confirm_needs_a_tick_and_non_skippable_questions_cannot_be_skipped():
    data = {"question": [{"id": "q", "text": "Q ?", "skippable": False, "multiple": True,
                          "choice": [{"id": "a", "label": "A", "icon": "walk"}, {"id": "b", "label": "B", "icon": "bike"}]}]}
    questions, problems = parse_survey(data, "t.toml")
    assert problems == []
    flow = SurveyFlow(questions)
    assert flow.confirm() is None and not flow.skip() and not flow.finished


def test_station_records_answers_and_completion(make_ctx):
    ctx = make_ctx("survey", Station)
    st = Station(ctx)
    d = Driver(st)
    d.tap("choice:bike")
    assert st.phase == "results"                  # « vous et les autres » right after the first answer
    d.tap("back")
    d.tap("choice:walk")                          # changed after « Retour »
    # counts: the changed answer counts once, as its latest value
    d.settle(lambda: st.snapshot is not None)
    today = st.snapshot["today"]["came_by"]
    assert today.respondents == 1 and today.counts == {"walk": 1}
    rows = [(r.label, r.highlighted) for r in st.view.last_chart_rows]
    assert ("À pied", True) in rows and ("Vélo", False) in rows
    assert sum(h for _, h in rows) == 1
    d.tap("next")
    d.tap("skip")
    d.tap("choice:bus"); d.tap("choice:tram"); d.tap("confirm")
    assert st.phase == "results"
    d.tap("next")
    d.tap("choice:93")
    d.tap("next")
    d.tap("skip")
    assert st.phase == "thanks" and st.code is not None
    answers = events_of(ctx, "survey.answer")
    assert [e[3]["question"] for e in answers] == ["came_by", "came_by", "usual", "home_area"]
    assert answers[-2][3]["choices"] == ["bus", "tram"]
    assert all(e[2] == "survey" and e[3]["run"] == st.run for e in answers)
    from eventlog.kinds import validate_payload

    assert all(validate_payload(kind, payload) is None for _, kind, _, payload in events_of(ctx))
    complete = events_of(ctx, "survey.complete")
    assert len(complete) == 1 and complete[0][3]["answered"] == 3 and complete[0][0] == st.completion_uuid


def test_skipping_everything_records_no_contribution(make_ctx):
    ctx = make_ctx("survey", Station)
    st = Station(ctx)
    d = Driver(st)
    for _ in QUESTIONS:
        d.tap("skip")
    assert st.phase == "thanks" and st.code is None
    assert events_of(ctx, "survey.complete") == [] and events_of(ctx, "survey.answer") == []


def _prepared_log(ctx):
    """A log over three local days at a venue in Paris (UTC+1 in November)."""
    rec = ctx.recorder

    def answer(ts, run, question, *choices):
        rec.record("survey.answer", {"question": question, "choices": list(choices), "run": run}, station="survey", ts=ts)

    answer("2026-11-20T10:00:00.000Z", "r1", "came_by", "car")              # before opening
    answer("2026-11-23T09:00:00.000Z", "r2", "came_by", "bike")
    answer("2026-11-24T22:59:59.000Z", "r3", "came_by", "bus")              # 23:59 local, yesterday
    answer("2026-11-24T23:00:00.000Z", "r4", "came_by", "bike")             # 00:00 local, today
    answer("2026-11-25T10:00:00.000Z", "r5", "came_by", "walk")
    answer("2026-11-25T10:00:30.000Z", "r5", "came_by", "bike")             # r5 changed its mind
    answer("2026-11-25T11:00:00.000Z", "r6", "usual", "bus", "tram")
    answer("2026-11-25T11:00:00.000Z", "r7", "usual", "bus")
    rec.record("survey.answer", {"question": "came_by", "choices": ["tram"]}, station="survey",
               ts="2026-11-25T12:00:00.000Z")                             # an old event without run
    rec.record("wall.message", {"question": "others", "text": "x", "flags": []}, station="wall",
               ts="2026-11-25T12:00:00.000Z")
    assert rec.flush()


def test_aggregates_from_a_prepared_log(make_ctx):
    ctx = make_ctx("survey", Station)
    _prepared_log(ctx)
    tz = ctx.kiosk.tz
    now = dt.datetime(2026, 11, 25, 15, 0, tzinfo=dt.timezone.utc)
    periods = Periods.at(now, tz, dt.date(2026, 11, 21))
    assert periods.today == "2026-11-24T23:00:00.000Z" and periods.opened == "2026-11-20T23:00:00.000Z"
    snap = ctx.reader.query(lambda c: snapshot(c, periods, exclude_run=None))
    today, opened = snap["today"], snap["opened"]
    assert today["came_by"].respondents == 3                                 # r4, r5 (latest), old tram
    assert dict(today["came_by"].counts) == {"bike": 2, "tram": 1}
    assert opened["came_by"].respondents == 5
    assert dict(opened["came_by"].counts) == {"bike": 3, "bus": 1, "tram": 1}
    assert today["usual"].respondents == 2 and dict(today["usual"].counts) == {"bus": 2, "tram": 1}
    assert today["usual"].fraction("bus") == 1.0 and today["usual"].fraction("tram") == 0.5
    everything = ctx.reader.query(lambda c: tally_answers(c, None))
    assert everything["came_by"].respondents == 6                            # opened_on empty: whole log
    excluded = ctx.reader.query(lambda c: tally_answers(c, periods.today, exclude_run="r5"))
    assert dict(excluded["came_by"].counts) == {"bike": 1, "tram": 1}
    assert snap["hub"] is None                                               # nothing synced: no column


def test_own_answers_are_added_and_the_reading_sentence_names_the_share():
    tallies = {"came_by": Tally(3, __import__("collections").Counter({"bike": 1, "bus": 2}))}
    merged = with_own_answers(tallies, {"came_by": ("bike",), "usual": ("walk", "bus")})
    assert merged["came_by"].respondents == 4 and merged["came_by"].counts["bike"] == 2
    assert merged["usual"].respondents == 1
    assert tallies["came_by"].respondents == 3                                # input untouched
    q = QUESTIONS[0]
    text = reading_sentence(q, q.choice("bike"), merged["came_by"], "aujourd’hui", "fr", "{pct} {choice}")
    assert text == "50\u202f% des visiteurs aujourd’hui sont venus à vélo, comme vous."
    en = reading_sentence(q, q.choice("bike"), merged["came_by"], "today", "en", "{pct} {choice}")
    assert en == "50% of visitors today came by bike, like you."


def test_hub_totals_are_shown_only_when_present(make_ctx):
    ctx = make_ctx("survey", Station)
    assert ctx.reader.query(read_hub_totals) is None
    conn = ctx.recorder.recorder._conn   # the uploader owns sync_state; here we play its part

    def store(value):
        conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hub_totals', ?)", (json.dumps(value),))
        return ctx.reader.query(read_hub_totals)

    flat = store({"survey": {"came_by": {"bike": 30, "bus": 70}}, "venues": 3, "updated": "2026-11-25T10:00:00Z"})
    assert hub_tally(flat, "came_by").fraction("bike") == 0.3 and flat["venues"] == 3
    assert hub_tally(flat, "usual") is None
    assert store({"survey": {"came_by": {"bike": 0}}}) is None                       # zeros are not shown
    assert store({"fetched_at": "x", "totals": {"survey": {}, "venues": 0}}) is None
    got = store({"fetched_at": "2026-11-25T10:00:00.000Z",                             # the uploader's shape
                 "totals": {"venues": 4, "survey": {"came_by": {"answers": 200, "choices": {"bike": 50, "bus": 150}},
                                                   "usual": {"answers": 10, "choices": {"bus": 8, "walk": 6}}}}})
    assert got["venues"] == 4
    assert hub_tally(got, "came_by").fraction("bike") == 0.25
    assert hub_tally(got, "usual").fraction("walk") == 0.6                            # multiple choice: per answer
    st = Station(ctx)
    d = Driver(st)
    d.tap("choice:bike")                  # its « vous et les autres » at once, with the hub's column
    d.settle(lambda: st.snapshot is not None)
    d.frame()
    assert st.phase == "results" and st.view.last_chart_columns == 3


def test_bad_survey_content_names_file_key_and_problem(tmp_path, make_ctx):
    bad = tmp_path / "survey-bad.toml"
    bad.write_text('[[question]]\nid = "q"\ntext = { en = "no French" }\nreading = "{pct} {oops}"\n'
                   '[[question.choice]]\nid = "a"\nlabel = "A"\nicon = "no-such-icon"\n', encoding="utf-8")
    problems = Station.check_content({"content": str(bad)}, "stations.survey")
    keys = {p.key for p in problems}
    assert all(p.file == str(bad) for p in problems)
    assert {"question[0].text.fr", "question[0].reading.fr", "question[0].choice[0].icon", "question[0].choice"} <= keys
    assert Station.check_content({"content": "survey.toml"}, "stations.survey") == []
    missing = Station.check_content({"content": "nope.toml"}, "stations.survey")
    assert missing[0].key == "(file)"
    with pytest.raises(ContentError):
        Station(make_ctx("survey", Station, config={"content": str(bad)}))


def test_content_ids_must_have_the_shape_the_hub_accepts(tmp_path):
    # a venue writing « vélo » or « en bus » as an id would see every answer refused by the hub
    bad = tmp_path / "survey-ids.toml"
    bad.write_text('[[question]]\nid = "venu ici"\ntext = { fr = "Venu ?", en = "Came?" }\n'
                   '[[question.choice]]\nid = "vélo"\nlabel = { fr = "Vélo", en = "Bike" }\nicon = "bike"\n'
                   '[[question.choice]]\nid = "bus"\nlabel = { fr = "Bus", en = "Bus" }\nicon = "bus"\n',
                   encoding="utf-8")
    problems = {p.key: p for p in Station.check_content({"content": str(bad)}, "stations.survey")}
    assert {"question[0].id", "question[0].choice[0].id"} <= set(problems)
    assert "question[0].choice[1].id" not in problems
    assert "no spaces" in problems["question[0].id"].expected


def _hub_totals(venues=6):
    """All-venue totals in the uploader's shape, for every question of the season (each choice counted)."""
    survey = {q.id: {"answers": 500, "choices": {c.id: 40 + 10 * i for i, c in enumerate(q.choices)}}
              for q in QUESTIONS}
    return {"fetched_at": "2026-11-25T10:00:00.000Z", "totals": {"venues": venues, "survey": survey}}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_portrait_results_with_hub_totals_fit_the_screen(make_ctx, tmp_path, lang):
    """1080x1920 with three periods: headers side by side without overlap, readable bars, full labels,
    sentences above the buttons (the one-line chart wrote headers over each other and cut them off)."""
    import dataclasses

    import pygame

    from kiosk.testing import default_config

    from kiosk.access.settings import DisplaySettings
    # the portrait totem as mounted (55", upright, lower edge at 0.80 m): the chart above the chrome's row
    kiosk = dataclasses.replace(default_config(data_dir=tmp_path), orientation="portrait",
                                display=DisplaySettings(diagonal_in=55.0, bottom_m=0.80, tilt_deg=90.0))
    ctx = make_ctx("survey", Station, kiosk=kiosk, lang=lang)
    ctx.recorder.recorder._conn.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hub_totals', ?)",
                               (json.dumps(_hub_totals()),))
    for run in range(12):      # other visitors, today and earlier: every sentence under the chart is shown
        ts = None if run % 2 else "2026-01-15T10:00:00.000Z"
        for q in QUESTIONS:
            ctx.recorder.record("survey.answer", {"question": q.id, "choices": [c.id for c in q.choices[run % 3::4]],
                                                  "run": f"r{run}"}, station="survey", ts=ts)
    assert ctx.recorder.flush()
    w, h = ctx.canvas_size
    assert h > w
    st = Station(ctx)
    d = Driver(st)
    screen = pygame.Rect(0, 0, w, h)
    while st.phase == "question":      # the longest answers make the longest sentences under the chart
        q = st.flow.current
        d.tap("choice:" + max(q.choices, key=lambda c: len(localise(c.phrase or c.label, lang))).id)
        if q.multiple:
            d.tap("confirm")
        d.settle(lambda: st.snapshot is not None)
        d.frame()
        layout = st.view.last_stacked
        assert layout is not None and st.view.last_chart_columns == 3
        q = st.result_questions[st.result_page]
        assert len(layout.labels) == len(q.choices) and not any(label.endswith("…") for label in layout.labels)
        drawn = layout.headers + layout.texts
        assert all(screen.contains(r) for r in drawn + layout.tracks)
        for i, a in enumerate(drawn):
            assert a.collidelist(drawn[i + 1:]) == -1, f"text overlaps text on {q.id!r}"
        assert min(t.width for t in layout.tracks) >= 150                      # bars, not stubs
        nav_top = st.view.zones.rect("next").top
        assert st.view.last_readings_bottom <= nav_top                         # the sentences end above the buttons
        d.tap("next")

"""A group's life in the App: start from mediator mode, the longer idle timeout, resuming after the
visitors' reset, ending from the mediator page or at closing time; the events it records."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime

import pygame
import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.app import App
from kiosk.input import DOWN, UP, InputEvent
from tests.groups.fakes import CLASSES

DT = 1 / 60


def boot(config, classes=None, **kw) -> App:
    """The App as run() sets it up, without the window loop: tests step it frame by frame."""
    pygame.init()
    app = App(config, headless=True, classes=CLASSES if classes is None else classes, **kw)
    app.start()
    return app


def step(app: App, seconds: float, canvas: pygame.Surface | None = None) -> None:
    for _ in range(round(seconds / DT)):
        app.virtual.t += DT
        app.tick(DT)
        if canvas is not None:
            app.draw(canvas)


def tap(app: App, pos) -> None:
    app.dispatch(InputEvent(DOWN, pos=pos))
    app.dispatch(InputEvent(UP, pos=pos))


def logged(app: App) -> list[tuple[str, dict]]:
    app.recorder.flush()
    conn = connect(db_path(app.config.data_dir))
    rows = conn.execute("SELECT kind, payload FROM events ORDER BY seq").fetchall()
    conn.close()
    return [(k, json.loads(p)) for k, p in rows]


@pytest.fixture
def app(config):
    app = boot(config)
    yield app
    app.shutdown()


def start_from_mediator(app: App, **kw) -> str:
    app.nav.open_mediator_menu()
    args = dict(level="elementaire", pupils=24, adults=3, label="CM2 B", activity_id="phantom-jams") | kw
    return app.groups.start(**args)


def test_start_records_the_group_and_leaves_mediator_mode_on_the_first_step(app):
    manager = app.groups
    group_id = start_from_mediator(app)
    assert manager.active and not app.nav.in_mediator
    assert app.nav.screen_name == "group" and manager.runner.step.kind == "instruction"
    assert manager.banner == "Groupe CM2 B · élémentaire"
    assert app.nav.visit.active                                   # the group's activity is one visitor session
    start = [p for k, p in logged(app) if k == "group.start"]
    assert start == [{"group_id": group_id, "level": "elementaire", "pupils": 24, "adults": 3,
                      "activity": "phantom-jams", "label": "CM2 B"}]


def test_the_idle_reset_waits_longer_while_a_group_is_on(app):
    config = app.config
    start_from_mediator(app)
    assert app.nav.idle.timeout_s == config.group_idle_timeout_s == 600.0
    step(app, config.idle_timeout_s + config.idle_warning_s + 5)    # a visitor would have been reset by now
    assert app.nav.screen_name == "group"
    step(app, config.group_idle_timeout_s - config.idle_timeout_s)  # ... but a class gets ten minutes
    assert app.nav.screen_name == "attract"
    ends = [p for k, p in logged(app) if k == "session.end"]
    assert [e["reason"] for e in ends] == ["timeout"]
    assert app.groups.active                       # the group itself goes on: the pill brings it back


def test_after_a_reset_the_pill_resumes_the_step_and_the_timeout_is_normal_again_after_the_end(app):
    manager = app.groups
    start_from_mediator(app)
    manager.next_step()                                       # explore on the traffic station
    assert app.nav.screen_name == "traffic"
    app.nav.end_visit("timeout")
    assert app.nav.screen_name == "attract"
    tap(app, app.chrome.group_overlay.current().button.rect.center)           # « Reprendre l'activité du groupe »
    assert app.nav.screen_name == "traffic" and app.nav.visit.active
    app.nav.open_mediator_menu()
    manager.end("mediator")
    app.nav.close_mediator()
    assert not manager.active and manager.banner == ""
    assert app.nav.idle.timeout_s == app.config.idle_timeout_s
    kinds = [k for k, _ in logged(app)]
    assert kinds.count("group.end") == 1


def test_the_group_ends_at_closing_time(config):
    clock = {"now": datetime(2026, 11, 25, 15, 0, tzinfo=config.tz)}
    hours = {day: (datetime(2026, 1, 1, 9).time(), datetime(2026, 1, 1, 18).time()) for day in config.hours}
    cfg = dataclasses.replace(config, enforce_hours=True, hours=hours)
    app = boot(cfg, now=lambda: clock["now"])
    try:
        start_from_mediator(app)
        step(app, 1.0)
        assert app.groups.active
        clock["now"] = datetime(2026, 11, 25, 18, 0, 5, tzinfo=config.tz)
        step(app, 0.5)
        assert app.nav.screen_name == "closed" and not app.groups.active
        ends = [p for k, p in logged(app) if k == "group.end"]
        assert [e["reason"] for e in ends] == ["closing"]
    finally:
        app.shutdown()


def test_a_hold_challenge_is_judged_live_and_recorded(app):
    """Traffic, élémentaire: no stopped car for 20 s, counted only once the jam has formed."""
    manager = app.groups
    start_from_mediator(app)
    manager.next_step()
    manager.next_step()                                       # quiz
    manager.runner.answer(1)
    manager.next_step()                                       # the challenge, on the fake traffic station
    assert app.nav.screen_name == "traffic" and manager.tracker is not None
    step(app, 25.0)                                           # the jam is there after 3 s: no success
    assert manager.tracker.result is None
    app.dispatch(InputEvent(DOWN, pos=(960, 700)))            # the tap goes through to the station
    app.dispatch(InputEvent(UP, pos=(960, 700)))
    step(app, 20.5)
    result = manager.tracker.result
    assert result is not None and result.success and result.value == 29.5
    challenges = [p for k, p in logged(app) if k == "group.challenge"]
    assert [(c["step"], c["metric"], c["success"]) for c in challenges] == [
        ("wave-direction", "quiz", True), ("no-jam", "mean_speed_kmh", True)]


def test_retry_restarts_the_preset_and_a_new_attempt(app):
    manager = app.groups
    start_from_mediator(app, level="college", activity_id="crowds")
    for _ in range(3):
        manager.next_step()
    crowd = app.stations["crowd"]
    assert app.nav.screen_name == "crowd" and manager.runner.step.id == "empty-room"
    step(app, 41.0)                                           # no pillar: 200 out at 5/s in 40 s
    first = manager.tracker.result
    assert first is not None and first.success and 39.5 <= first.value <= 40.5   # under 75 s, 0 pillars
    manager.retry()
    assert manager.tracker.result is None and len(crowd.presets) == 3   # explore, challenge, retry
    tap(app, (900, 700)); tap(app, (900, 760))                # two pillars: too many for collège
    step(app, 21.0)
    second = manager.tracker.result
    assert second is not None and not second.success
    assert manager.runner.best(manager.runner.index) == first.value


def test_a_paused_station_shows_an_unavailable_step_that_can_be_skipped(app):
    manager = app.groups
    app.errors.disabled_until["traffic"] = app.clock() + 600
    start_from_mediator(app)
    manager.next_step()
    assert app.nav.screen_name == "group" and manager.unavailable
    manager.next_step()
    assert manager.runner.step.kind == "quiz" and not manager.unavailable


def test_start_rejects_bad_input(app):
    manager = app.groups
    with pytest.raises(ValueError):
        manager.start("cp", 20, 2, "", "crowds")
    with pytest.raises(ValueError):
        manager.start("maternelle", 20, 2, "", "crowds")     # not written for the youngest
    with pytest.raises(ValueError):
        manager.start("college", -1, 2, "", "crowds")
    assert not manager.active


def test_results_compare_with_other_groups_of_the_same_level(app):
    manager = app.groups
    for level, value in (("college", 30.0), ("college", 50.0), ("college", 70.0), ("elementaire", 10.0)):
        gid = f"0190f000-0000-7000-8000-0000000000{int(value):02d}"
        app.recorder.record("group.start", {"group_id": gid, "level": level, "pupils": 20, "adults": 2, "activity": "crowds"})
        app.recorder.record("group.challenge", {"group_id": gid, "metric": "evacuation_time_s", "value": value,
                                                "success": True, "activity": "crowds", "step": "empty-room"})
    app.recorder.flush()
    start_from_mediator(app, level="college", activity_id="crowds")
    for _ in range(3):
        manager.next_step()
    step(app, 41.0)                                           # 40 s: between the 30 s and 50 s groups
    manager.next_step()
    manager.runner.answer(0)
    manager.next_step()
    assert manager.runner.at_results and app.nav.screen_name == "group"
    canvas = pygame.Surface(app.canvas_size)
    for _ in range(200):
        step(app, DT, canvas)
        if not manager._futures:
            break
    index = manager.runner.steps.index(next(s for s in manager.runner.steps if s.id == "empty-room"))
    comparison = manager.comparisons[index]
    assert (comparison.others, comparison.rank) == (3, 2)
    assert manager.others[index] == [30.0, 50.0, 70.0]


def test_a_free_visit_counts_the_group_without_steps(app):
    manager = app.groups
    start_from_mediator(app, level="maternelle", label="MS", activity_id="free")
    assert app.nav.screen_name == "home" and manager.active and manager.runner is None
    assert manager.banner == "Groupe MS · maternelle"
    assert app.nav.idle.timeout_s == app.config.group_idle_timeout_s
    assert app.chrome.group_overlay.current() is None
    step(app, 1.0)
    manager.end("mediator")
    log = logged(app)
    assert [p["activity"] for k, p in log if k == "group.start"] == ["free"]
    assert not [p for k, p in log if k in ("group.step", "group.challenge")]


def test_every_step_draws_in_portrait_within_the_canvas(config, tmp_path):
    import os

    cfg = dataclasses.replace(config, orientation="portrait")
    app = boot(cfg)
    keep = os.environ.get("QSEC_GROUP_SHOTS")
    try:
        manager = app.groups
        start_from_mediator(app, level="college", activity_id="crowds")
        canvas = pygame.Surface(app.canvas_size)
        assert canvas.get_size() == (1080, 1920)
        n = 0
        while True:
            step(app, 0.2, canvas)
            if manager.runner.step is not None and manager.runner.step.kind == "quiz":
                manager.runner.answer(0)
                step(app, 0.1, canvas)
            if keep:
                pygame.image.save(canvas, os.path.join(keep, f"portrait-{n}.png"))
            overlay = app.chrome.group_overlay.current()
            if overlay is not None and hasattr(overlay, "rect"):
                assert pygame.Rect(0, 0, 1080, 1920).contains(overlay.rect)
            if manager.runner.at_results:
                break
            manager.next_step()
            n += 1
        screen = app.nav.screen
        assert all(pygame.Rect(0, 0, 1080, 1920).contains(b.rect) for b in [screen.next_button, *screen.choices])
    finally:
        app.shutdown()


def test_resume_from_the_mediator_page_leaves_mediator_mode_and_hides_the_banner_on_the_panel(app):
    manager = app.groups
    start_from_mediator(app)
    manager.next_step()                                       # explore, on the traffic station
    assert manager.banner == ""                               # the panel is showing: no banner over the station
    app.nav.open_mediator_menu()
    assert manager.resume() and not app.nav.in_mediator
    assert app.nav.screen_name == "traffic" and app.nav.idle.timeout_s == app.config.group_idle_timeout_s
    app.nav.go_home()
    assert manager.banner == "Groupe CM2 B · élémentaire"     # elsewhere the chrome shows it
    manager.done = True
    assert not manager.resume()


def _to_challenge(app, level="college", activity_id="crowds"):
    manager = app.groups
    start_from_mediator(app, level=level, activity_id=activity_id)
    while manager.runner.step.kind != "challenge":
        manager.next_step()
    return manager


def _to_results(manager):
    while not manager.runner.at_results:
        if manager.runner.step.kind == "quiz":
            manager.runner.answer(0)
        manager.next_step()


def test_a_class_that_won_and_moves_on_after_the_room_restarted_has_no_failed_attempt(app):
    from kiosk.groups.views import ResultsView

    manager = _to_challenge(app)
    step(app, 41.0)                                           # 40 s, no pillar: won
    assert manager.tracker.result.success
    step(app, 20.0)                                           # the empty room started again by itself: a new attempt
    assert manager.tracker is not None and manager.tracker.result is None
    _to_results(manager)                                      # the class leaves it mid-way
    index = manager.runner.activity.challenges()[0]
    assert [(a.success, a.interrupted) for a in manager.runner.attempts_of(index)] == [(True, False), (False, True)]
    assert [a.success for a in manager.runner.shown_attempts(index)] == [True]
    assert [p["success"] for k, p in logged(app) if k == "group.challenge" and p["metric"] != "quiz"] == [True]
    assert ResultsView(manager).headline() == "Bravo, défi réussi\u202f!"


def test_a_clock_past_the_limit_says_so_and_offers_to_try_again(app):
    from kiosk.groups.panel import StationPanel
    from kiosk.groups.views import ResultsView

    manager = _to_challenge(app)                              # collège: under 165 s
    app.stations["crowd"].remaining = 2000.0                  # a crowd that will take 400 s
    panel = StationPanel(manager)
    step(app, 130.0)
    assert not manager.tracker.hopeless and not panel.can_retry()
    step(app, 36.0)
    assert manager.tracker.hopeless and panel.can_retry() and manager.tracker.result is None
    panel.draw(pygame.Surface(app.canvas_size))
    manager.retry()                                           # « Réessayer » without waiting for the end
    lost = manager.runner.attempts[-1]
    assert not lost.success and not lost.interrupted and lost.value is None
    _to_results(manager)
    assert ResultsView(manager).headline() == "Activité terminée\u202f: bien essayé\u202f!"


def test_the_headline_thanks_a_class_that_tried_nothing(app):
    from kiosk.groups.views import ResultsView

    manager = _to_challenge(app)
    step(app, 1.0)
    _to_results(manager)
    assert manager.runner.attempts == [] and ResultsView(manager).headline() == "Activité terminée, merci\u202f!"


def test_the_panel_keeps_to_the_title_band_and_shows_the_group_label(app):
    from kiosk.groups.panel import StationPanel, panel_rect

    manager = _to_challenge(app, level="elementaire", activity_id="phantom-jams")
    panel = StationPanel(manager)
    home, language = app.chrome.home.rect, app.chrome.language.rect
    assert panel.rect.left > home.right and panel.rect.right < language.left
    assert panel.rect.bottom < 124                            # stations draw from y = 124 (traffic), 128 (crowd)
    assert panel.rect.contains(panel.next.rect) and panel.rect.contains(panel.retry.rect)
    assert min(panel.next.rect.size) >= 90                    # a touch target
    assert manager.label_lines() == ("Groupe CM2 B", "élémentaire") and manager.banner == ""
    assert pygame.Rect(0, 0, 1080, 1920).contains(panel_rect((1080, 1920)))


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
@pytest.mark.parametrize("activity_id", ["phantom-jams", "crowds"])
def test_the_goal_readings_fit_beside_the_buttons(config, orientation, activity_id):
    """Collège: three readings for the jam (stopped cars, speed spread, seconds to hold), three for the
    room with its clock past the limit (time, « limite dépassée », pillars) beside « Réessayer ». They fit the width, on as few lines as it
    takes, and leave at least half the height to the goal's text."""
    from kiosk.groups.panel import READING_GAP, StationPanel

    app = boot(dataclasses.replace(config, orientation=orientation))
    try:
        manager = _to_challenge(app, activity_id=activity_id)
        if activity_id == "crowds":
            app.stations["crowd"].remaining = 2000.0
            step(app, 166.0)
        else:
            step(app, 5.0)
        panel = StationPanel(manager)
        assert panel.can_retry() == (activity_id == "crowds")
        box = panel.text_box(panel.can_retry())
        parts = panel._readings(manager.runner.step, manager.runner.step.goal("secondaire"), manager.tracker)
        font, rows = panel._rows(parts, box.width, box.height)
        assert len(parts) == 3                                # the room: time, « limite dépassée », pillars
        assert len(rows) * font.get_linesize() <= box.height // 2
        assert all(sum(font.size(t)[0] for t, _c in row) + READING_GAP * (len(row) - 1) <= box.width for row in rows)
        panel.draw(pygame.Surface(app.canvas_size))
    finally:
        app.shutdown()

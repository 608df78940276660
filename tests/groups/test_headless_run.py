"""A whole guided activity, scripted through the real screens: mediator PIN, groups page, every step,
the challenge on a (fake) crowd station, the results screen; the events it leaves in the log.

QSEC_GROUP_SHOTS=DIR keeps the screenshots (the test writes them anyway, into a temporary folder)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pygame
import pytest

from eventlog.sqlite import connect
from eventlog.wire import db_path
from kiosk.app import App
from kiosk.groups.panel import PANEL
from kiosk.headless import Script
from tools.group_screenshots import take_screenshots
from tools.group_tour import open_groups_page, start_group
from tests.groups.fakes import CLASSES

W, H = 1920, 1080
NEXT = pygame.Rect(W // 2 - 260, H - 170, 520, 116)          # StepScreen.next_button


def quiz_choice(n: int, i: int) -> tuple[int, int]:
    size, gap = 330, 50                                        # StepScreen quiz layout
    left = W // 2 - (n * size + (n - 1) * gap) // 2
    return left + i * (size + gap) + size // 2, 380 + 165


def panel_next() -> tuple[int, int]:
    x, y, w, h = PANEL
    return x + w - 240 + 110, y + h // 2


def events(config) -> list[tuple[str, dict]]:
    conn = connect(db_path(config.data_dir))
    rows = conn.execute("SELECT kind, payload FROM events ORDER BY seq").fetchall()
    conn.close()
    return [(k, json.loads(p)) for k, p in rows]


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("QSEC_GROUP_SHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def crowd_activity_script(app, shots: Path) -> Script:
    s = Script()
    s.tap((960, 540), 1.0)                                     # a visitor wakes the attract loop
    open_groups_page(app, s)
    s.screenshot(shots / "01-groups-page.png")
    start_group(app, s, "college", "crowds", label_preset="4e")
    s.screenshot(shots / "02-instruction.png")
    s.tap(NEXT)                                                # instruction -> explore
    s.wait(1.0).screenshot(shots / "03-explore.png")
    s.tap(panel_next())                                        # explore -> quiz
    s.screenshot(shots / "04-quiz.png")
    s.tap(quiz_choice(3, 0))                                   # a wrong first answer: « Plus vite »
    s.screenshot(shots / "05-quiz-answered.png")
    s.tap(NEXT)                                                # quiz -> challenge
    s.wait(2.0).screenshot(shots / "06-challenge.png")
    s.tap((900, 700))                                          # one pillar at 2 s: 10 out, then 190 at 10/s: done at ~21 s
    s.wait(30.0)                                               # longer than the visitors' idle timeout
    s.screenshot(shots / "07-challenge-done.png")
    s.tap(panel_next())                                        # challenge -> quiz 2
    s.tap(quiz_choice(3, 0))                                   # right: « Plusieurs sorties »
    s.tap(NEXT)                                                # -> results
    s.wait(1.5).screenshot(shots / "08-results.png")
    return s


@pytest.mark.slow
def test_whole_activity_headless_ends_on_results_with_events(config, shots):
    app = App(config, headless=True, classes=CLASSES)
    script = crowd_activity_script(app, shots)
    app.run(frames=round(script.seconds * 60), script=script.steps)

    assert app.nav.screen_name == "group"
    manager = app.groups
    assert manager.active and manager.runner.at_results
    log = events(config)
    kinds = [k for k, _ in log]
    start = next(p for k, p in log if k == "group.start")
    assert (start["level"], start["activity"], start["label"], start["pupils"], start["adults"]) == ("college", "crowds", "4e", 25, 2)
    steps = [p["step"] for k, p in log if k == "group.step"]
    assert steps == [0, 1, 2, 3, 4, 5]                         # five steps, then the results
    challenges = [p for k, p in log if k == "group.challenge"]
    assert [(c["step"], c["metric"], c["success"]) for c in challenges] == [
        ("faster-is-slower", "quiz", False), ("empty-room", "evacuation_time_s", True), ("safe-exit", "quiz", True)]
    evacuation = challenges[1]
    assert 20.5 <= evacuation["value"] <= 22.5 and evacuation["group_id"] == start["group_id"]
    ends = [p["reason"] for k, p in log if k == "session.end"]
    assert ends == ["shutdown"]                                # 30 s without a touch did not reset the group
    assert app.stations["crowd"].presets == [("evacuation", {}), ("evacuation", {})]   # explore, then challenge
    for name in ("01-groups-page", "02-instruction", "04-quiz", "06-challenge", "07-challenge-done", "08-results"):
        assert (shots / f"{name}.png").stat().st_size > 10_000


def one_touch_class(tour, shot) -> bool:
    """The fake stations of tests/groups/fakes.py: one touch in the middle wins (a pillar, or no jam)."""
    w, h = tour.app.canvas_size
    tour.wait(4.0).tap((w // 2, h // 2 + 100), 0.5)
    shot("g6-challenge")
    done = tour.until(lambda: tour.manager.tracker is not None and tour.manager.tracker.result is not None, max_s=120)
    tour.wait(2.0)
    shot("g7-challenge-done")
    return done and tour.manager.tracker.result.success


@pytest.mark.slow
def test_the_screenshot_tool_plays_every_step_of_an_activity(tmp_path):
    """tools/group_screenshots.py (the README runs it on the real stations), here on the fake ones."""
    won, log = take_screenshots(tmp_path, "college", "crowds", classes=CLASSES, drivers={"crowds": one_touch_class})
    assert won
    names = {p.stem for p in tmp_path.glob("*.png")}
    assert {"g1-page-empty", "g2-instruction", "g3-explore", "g4-quiz", "g5-quiz-answered", "g6-challenge",
            "g7-challenge-done", "g8-quiz-answered", "g9-results", "g10-page-active"} <= names

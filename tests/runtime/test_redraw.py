"""Drawing only what changes (kiosk/frames.py): the pacer's rule, a still screen that draws nothing until
something happens, and the same pixels as a full redraw on every screen of the kiosk."""
from __future__ import annotations

import dataclasses
import sys
import threading
from datetime import datetime

import numpy as np
import pygame
import pytest

from kiosk.app import App
from kiosk.frames import FramePacer, Redraws
from kiosk.headless import ScriptedInput
from kiosk.input import DOWN, UP, InputEvent
from kiosk.testing import default_config
from kiosk.window import Window
from stations.wall.demo import seed as seed_wall
from tests.runtime.fakes import CLASSES


def test_pacer_draws_a_still_screen_only_when_marked():
    pacer = FramePacer()
    assert pacer.due(0.0, 0) is True            # the first frame
    assert [pacer.due(k / 60, 0) for k in range(1, 30)] == [False] * 29
    pacer.mark()
    assert pacer.due(0.5, 0) is True and pacer.due(0.52, 0) is False
    assert pacer.seconds_to_next(0.52, 0) == float("inf")


def test_pacer_draws_an_animation_on_the_clocks_slots():
    pacer = FramePacer()
    drawn = [k for k in range(1, 121) if pacer.due(k / 60, 30)]
    assert drawn == [1] + list(range(2, 121, 2))  # the first frame, then every other one, the even ones
    assert pacer.seconds_to_next(61 / 60, 30) == pytest.approx(1 / 60)
    assert all(FramePacer(full_redraw=True).due(k / 60, 0) for k in range(10))


def test_a_screen_is_drawn_once_after_it_invalidates_itself():
    class Slow(Redraws):
        def frame_rate(self) -> float:
            return 0.0

    screen = Slow()
    assert screen.take_invalidated() is True and screen.take_invalidated() is False
    screen.invalidate()
    assert screen.take_invalidated() is True


class CountingApp(App):
    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.drawn: list[int] = []
        self.frame = 0
        self.headless_fps_cap = 0

    def tick(self, dt: float) -> None:
        self.frame += 1
        super().tick(dt)

    def draw(self, canvas) -> None:
        self.drawn.append(self.frame)
        super().draw(canvas)


def test_the_home_menu_draws_nothing_until_touched(config):
    # a tap on the attract loop at 1 s opens the home menu; a tap on its title bar at 3 s changes nothing
    script = [ScriptedInput(60, "down", [960, 540]), ScriptedInput(62, "up", [960, 540]),
              ScriptedInput(180, "down", [700, 60]), ScriptedInput(182, "up", [700, 60])]
    app = CountingApp(config, headless=True, classes=CLASSES)
    app.run(frames=300, script=script)
    # the home menu is drawn as it opens (the tap's frames), at the second tap's touches, never in between
    assert app.nav.screen_name == "home"
    assert {61, 63} <= set(app.drawn)
    assert [f for f in app.drawn if f > 63] == [181, 183]


def test_the_attract_loop_draws_30_frames_a_second(config):
    app = CountingApp(config, headless=True, classes=CLASSES)
    app.run(frames=120)
    assert 59 <= len(app.drawn) <= 62


# -- the same pixels with and without a full redraw, screen by screen ------------------------------------
def _shots(tmp_path, name: str, *, full: bool, frames: int, script=(), log=None, **kw) -> list[np.ndarray]:
    """Screenshots at whole seconds (frames 60, 120, …): what a visitor sees at that moment. `log(config)`
    writes events into the kiosk's log before it starts."""
    config = dataclasses.replace(default_config(), data_dir=tmp_path / f"{name}-{full}")
    if log is not None:
        log(config)
    for key in [k for k in ("enforce_hours",) if k in kw]:
        config = dataclasses.replace(config, **{key: kw.pop(key)})
    steps = list(script) + [ScriptedInput(f, "screenshot", str(tmp_path / f"{name}-{full}-{f}.png"))
                            for f in range(60, frames, 60)]
    steps.sort(key=lambda s: s.frame)
    # one wall-clock moment for both runs: the air chart marks the current minute
    kw.setdefault("now", lambda: datetime(2026, 11, 25, 15, 30, tzinfo=config.tz))
    app = App(config, headless=True, full_redraw=full, **kw)
    app.headless_fps_cap = 0
    app.run(frames=frames, script=steps)
    return [pygame.surfarray.array3d(pygame.image.load(str(tmp_path / f"{name}-{full}-{f}.png")))
            for f in range(60, frames, 60)]


def _same_as_full_redraw(tmp_path, name: str, **kw) -> None:
    after = _shots(tmp_path, name, full=False, **kw)
    before = _shots(tmp_path, name, full=True, **kw)
    for k, (a, b) in enumerate(zip(after, before)):
        differ = int((a != b).any(axis=2).sum())
        assert differ == 0, f"{name}: {differ} pixels differ from a full redraw at {k + 1} s"


def test_attract_and_home_look_the_same_as_with_a_full_redraw(tmp_path):
    tap = [ScriptedInput(130, "down", [960, 540]), ScriptedInput(132, "up", [960, 540])]
    _same_as_full_redraw(tmp_path, "attract-home", frames=250, script=tap)


STATIONS = [sid for sid in default_config().stations]


@pytest.mark.parametrize("sid", STATIONS)
def test_each_station_looks_the_same_as_with_a_full_redraw(tmp_path, sid):
    # two taps between the screenshots: whatever they open or press is drawn as with a full redraw
    taps = [ScriptedInput(75, "down", [960, 540]), ScriptedInput(77, "up", [960, 540]),
            ScriptedInput(140, "down", [500, 820]), ScriptedInput(142, "up", [500, 820])]
    _same_as_full_redraw(tmp_path, sid, frames=190, start_station=sid, script=taps)


def test_the_closed_screen_looks_the_same_as_with_a_full_redraw(tmp_path):
    sunday_night = datetime(2026, 3, 1, 23, 0)
    _same_as_full_redraw(tmp_path, "closed", frames=130, enforce_hours=True,
                         now=lambda: sunday_night.replace(tzinfo=default_config().tz))


def _approved_wall_messages(config) -> None:
    seed_wall(config.data_dir, config.kiosk_id)      # nine approved contributions, two with drawings


def test_the_drifting_wall_looks_the_same_as_with_a_full_redraw(tmp_path):
    _same_as_full_redraw(tmp_path, "wall-drift", frames=190, start_station="wall", log=_approved_wall_messages)


def test_the_wall_draws_at_its_drift_rate_and_nothing_while_a_visitor_picks(tmp_path):
    config = dataclasses.replace(default_config(), data_dir=tmp_path / "data")
    _approved_wall_messages(config)

    class TapsAdd(CountingApp):
        def tick(self, dt: float) -> None:
            if self.frame == 180:       # a finger on « add » after 3 s of the drifting wall
                where = self.stations.get("wall").view.zones.rect("add").center
                for kind in (DOWN, UP):
                    self.dispatch(InputEvent(kind, where, 0))
            super().tick(dt)

    app = TapsAdd(config, headless=True, start_station="wall")
    app.run(frames=360)
    wall = app.stations.get("wall")
    assert 59 <= len([f for f in app.drawn if 60 < f <= 180]) <= 61     # drifting: 30 frames a second
    assert wall.phase == "pick" and wall.frame_rate() == 0
    assert [f for f in app.drawn if f > 182] == []                      # the picker waits for the next tap


def test_between_frames_the_loop_sleeps_and_still_sees_input(monkeypatch):
    # pygame's event.wait(timeout) polls SDL every millisecond: the kiosk sleeps between looks instead
    monkeypatch.setattr(pygame.event, "wait", lambda *a: pytest.fail("event.wait polls"))
    pygame.init()
    window = Window((320, 180), headless=True, windowed=True)
    pygame.event.clear()
    assert window.wait_for_input(0.05, 0.01) == []
    threading.Timer(0.05, pygame.event.post, [pygame.event.Event(pygame.USEREVENT)]).start()
    assert pygame.USEREVENT in [e.type for e in window.wait_for_input(30.0, 0.01)]
    pygame.quit()


def test_keys_on_a_still_screen_look_the_same_as_with_a_full_redraw(tmp_path, monkeypatch):
    # a visitor on keys or a switch: the focus ring appears and moves on the still home menu with no touch.
    # Without speech: « Écouter » shows pressed while the audio plays, on the sound card's clock, not the
    # run's virtual one (two runs would differ by it whatever they redraw).
    base = default_config()
    if hasattr(base, "access"):
        quiet = dataclasses.replace(base, access=dataclasses.replace(base.access, speech=False))
        monkeypatch.setattr(sys.modules[__name__], "default_config", lambda: quiet)
    keys = [ScriptedInput(20, "key", "return"), ScriptedInput(70, "key", "tab"), ScriptedInput(100, "key", "tab"),
            ScriptedInput(130, "key", "tab"), ScriptedInput(135, "key", "right")]
    _same_as_full_redraw(tmp_path, "keys-home", frames=190, script=keys)

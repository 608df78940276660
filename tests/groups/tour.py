"""A guided activity played the way a class plays it, for screenshots: touches go through the App's
own event route, frame after frame on the virtual clock, and the tour waits for what the stations do
(an evacuation ends when the last person is out) instead of guessing a time.

Tour is a Script (tests/groups/drive.py) that plays itself as it is written: `wait`, `until` and
`finish` run the App up to that moment. The class drivers below make a real attempt at each shipped
challenge with the station's own controls, found from the station's layout (no fixed pixels):
  crowds        the « Pressés ? » slider to 2 m/s and one pillar on the station's hint before the door;
                if the room is not empty in time, « Réessayer » in panic with the pillar, then without it.
  phantom-jams  a tap on a car (a jam forms), then « Moins de voitures » until nobody stops.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

import numpy as np
import pygame

from kiosk.app import HEADLESS_MAX_FPS, App
from kiosk.chrome import Chrome
from kiosk.input import DOWN, UP, InputEvent
from tests.groups.drive import FPS, Script

DT = 1 / FPS


class Tour(Script):
    def __init__(self, config, classes, fps_cap: int = HEADLESS_MAX_FPS, seed: int | None = 1):
        super().__init__()
        pygame.init()
        self.app = App(config, headless=True, classes=classes)
        if seed is not None:     # the stations' seeds: the same crowd, the same screenshots, run after run
            self.app.rng = np.random.default_rng(seed)
        self.app._build_stations()            # then as tests/groups/test_lifecycle.boot
        self.app.chrome = Chrome(self.app)
        self.app._enter_initial_screen()
        self.canvas = pygame.Surface(self.app.canvas_size)
        self.clock = pygame.time.Clock()
        self.fps_cap = fps_cap        # like `kiosk run --headless`: worker threads get time to answer
        self.frame_no = 0
        self._played = 0
        self.log: list[str] = []

    # -- playing ---------------------------------------------------------------------------------------
    def _settle(self) -> None:
        """Let a station's worker finish before the next frame (the crowd's walking field after a pillar:
        10-200 ms on a kiosk, while a busy machine could leave the crowd on the old field for seconds
        of virtual time, walking into the new pillar)."""
        for station in self.app.stations.values():
            model = getattr(station, "model", None)
            waited = 0.0
            while getattr(model, "navigation_pending", False) and waited < 10.0:
                time.sleep(0.005)
                waited += 0.005

    def _frame(self) -> None:
        self._settle()
        while self._played < len(self.steps) and self.steps[self._played].frame <= self.frame_no:
            step = self.steps[self._played]
            self._played += 1
            if step.action == "screenshot":
                Path(step.value).parent.mkdir(parents=True, exist_ok=True)
                pygame.image.save(self.canvas, str(step.value))
            elif step.action in (DOWN, UP):
                self.app.dispatch(InputEvent(step.action, pos=tuple(step.value)))
        self.app.virtual.t += DT
        self.app._tick(DT)
        self.app.draw(self.canvas)
        self.frame_no += 1
        if self.fps_cap:
            self.clock.tick(self.fps_cap)

    def play(self) -> "Tour":
        """Run the App up to the script's current time."""
        while self.frame_no < self.frame():
            self._frame()
        return self

    def wait(self, seconds: float) -> "Tour":
        super().wait(seconds)
        return self.play()

    def until(self, done: Callable[[], bool], max_s: float, every: float = 0.25) -> bool:
        """Play until done() (checked every `every` seconds) or max_s; True when done."""
        self.play()
        waited = 0.0
        while not done():
            if waited >= max_s:
                return False
            self.wait(every)
            waited += every
        return True

    def finish(self) -> None:
        self.wait(0.5)
        self.app.shutdown()

    # -- what is on screen -----------------------------------------------------------------------------
    @property
    def manager(self):
        return self.app.services["group"]

    def step_screen(self):
        """The full-screen step (instruction, quiz, results) on screen, or None."""
        return self.app.screen if self.app.screen_name == "group" else None

    def next_button(self) -> pygame.Rect:
        """« Suivant » of the step on screen: the step screen's button, or the panel's over a station."""
        screen = self.step_screen()
        if screen is not None:
            return screen.next_button.rect
        return self.manager._overlay().next.rect

    def retry_button(self) -> pygame.Rect:
        return self.manager._overlay().retry.rect

    def choice(self, i: int) -> pygame.Rect:
        return self.step_screen().choices[i].rect

    def next(self, wait: float = 0.8) -> "Tour":
        self.play()
        return self.tap(self.next_button(), wait).play()

    def answer(self, i: int, wait: float = 0.8) -> "Tour":
        self.play()
        return self.tap(self.choice(i), wait).play()


# -- the classes -------------------------------------------------------------------------------------
def _decided(tour: Tour) -> bool:
    tracker = tour.manager.tracker
    return tracker is not None and tracker.result is not None


def crowd_class(tour: Tour, shot: Callable[[str], None], tries: int = 3) -> bool:
    """Set the slider, place one pillar on the hint, watch; try again a little slower if it failed.
    `shot(name)` takes the challenge's screenshots (during the first attempt, and its verdict)."""
    station = tour.app.stations["crowd"]
    if not hasattr(station, "hurry"):
        return _fake_class(tour, shot)
    # what classes try (m/s, a pillar on the hint); stations/crowd/README.md: 2 m/s and panic with a pillar are fastest
    plans = ((2.0, True), (5.0, True), (2.0, False))
    for attempt in range(tries):
        speed, pillar = plans[min(attempt, len(plans) - 1)]
        tour.wait(1.0)
        track = station.hurry.track
        hurry = (speed - 1.0) / 4.0      # the slider: 1 m/s (calm) to 5 m/s (panic)
        tour.tap((round(track.x + hurry * track.width), track.centery), 0.5)
        hint = station.view.hint
        if pillar and hint is not None and station.read_metric("pillars") == 0:
            spot = station.view.transform.point(hint)
            for _ in range(5):           # a pillar needs the room's first walking field (a fraction of a second)
                tour.tap(spot, 0.5).play()
                if station.read_metric("pillars"):
                    break
        if attempt == 0:
            tour.wait(25.0)
            shot("g6-challenge")
        if not tour.until(lambda: _decided(tour) or tour.manager.tracker.hopeless, max_s=330):
            tour.log.append("crowd: no verdict after 330 s")
            return False
        if not _decided(tour):       # the clock is past the limit: the class does not wait for the last ones
            tour.log.append(f"crowd attempt {attempt + 1}: limit passed, {station.read_metric('agents_remaining'):.0f} still inside")
            shot(f"g7-challenge-failed-{attempt + 1}")
            tour.tap(tour.retry_button(), 0.5).play()
            continue
        result = tour.manager.tracker.result
        tour.log.append(f"crowd attempt {attempt + 1}: {result.value} s, success={result.success}")
        tour.wait(2.0)
        if result.success:
            shot("g7-challenge-done")
            return True
        shot(f"g7-challenge-failed-{attempt + 1}")
        tour.tap(tour.retry_button(), 0.5).play()
    return False


def traffic_class(tour: Tour, shot: Callable[[str], None]) -> bool:
    """A tap on a car, then « Moins de voitures » a few times: the jam dissolves and stays away."""
    station = tour.app.stations["traffic"]
    if not hasattr(station, "road_view"):
        return _fake_class(tour, shot)
    tour.wait(4.0)
    m = station.model
    _, px, py = station.road_view.car_polygons(m.positions(), m.lane, m.length)
    tour.tap((round(float(px[0])), round(float(py[0]))), 0.5)
    tour.wait(12.0)
    shot("g6-challenge")
    fewer = station.controls["fewer"].rect
    for _ in range(4):
        tour.tap(fewer, 0.8)
    tour.wait(10.0)
    shot("g6b-challenge-holding")
    if not tour.until(lambda: _decided(tour), max_s=200):
        tour.log.append("traffic: no verdict after 200 s")
        return False
    result = tour.manager.tracker.result
    tour.log.append(f"traffic: {result.value} km/h, success={result.success}")
    tour.wait(2.0)
    shot("g7-challenge-done")
    return result.success


def _fake_class(tour: Tour, shot: Callable[[str], None]) -> bool:
    """The fake stations of tests/groups/fakes.py: one touch in the middle wins (a pillar, or no jam)."""
    w, h = tour.app.canvas_size
    tour.wait(4.0).tap((w // 2, h // 2 + 100), 0.5)
    shot("g6-challenge")
    done = tour.until(lambda: _decided(tour), max_s=120)
    tour.wait(2.0)
    shot("g7-challenge-done")
    return done and tour.manager.tracker.result.success


CLASS_OF = {"crowds": crowd_class, "phantom-jams": traffic_class}

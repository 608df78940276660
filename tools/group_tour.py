"""A guided activity played the way a class plays it, for screenshots: touches go through the App's
own event route, frame after frame on the virtual clock, and the tour waits for what the stations do
(an evacuation ends when the last person is out) instead of guessing a time.

Tour is a headless Script (kiosk/headless.py: the same steps as a `kiosk run --script` file) that
plays itself as it is written: `wait`, `until` and `finish` run the App up to that moment.
`open_groups_page` and `start_group` write the mediator's taps from the screens' own layouts. The class drivers below make a real attempt at each shipped
challenge with the station's own controls, found from the station's layout (no fixed pixels):
  crowds        the « Pressés ? » slider to 2 m/s and one pillar on the station's hint before the door;
                if the room is not empty in time, « Réessayer » in panic with the pillar, then without it.
  phantom-jams  a tap on a car (a jam forms), then « Moins de voitures » until nobody stops.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import pygame

from kiosk.app import HEADLESS_MAX_FPS, App
from kiosk.headless import FPS, Script
from kiosk.input import DOWN, KEY, TEXT, UP, InputEvent
from kiosk.screens.groups import GroupsPage
from kiosk.screens.mediator import MediatorMenu, PinPadScreen
from kiosk.screens.names import ScreenName

DT = 1 / FPS
Driver = Callable[["Tour", Callable[[str], None]], bool]   # plays a challenge; True if the class won


def open_groups_page(app: App, script: Script, pin: str = "1234") -> None:
    """Hold the mediator corner, type the PIN, open « Groupes scolaires » (layouts read from the screens)."""
    pygame.init()
    script.hold((40, 40), app.config.pin_hold_s + 0.3)
    pad = PinPadScreen(app.ctx)
    keys = {b.label: b.rect for b in pad.keys}
    for digit in pin:
        script.tap(keys[digit], 0.3)
    script.tap(keys["OK"], 0.8)
    menu = MediatorMenu(app.ctx)
    menu._layout()
    script.tap(menu.buttons[menu.sources.index("Groupes scolaires")].rect, 0.8)


def start_group(app: App, script: Script, level: str, activity_id: str, label_preset: str | None = None) -> None:
    """On the groups page: pick the level, maybe a class preset (then validate the keyboard), the activity, start."""
    page = GroupsPage(app.nav.page_context("groups"))
    levels = dict(page.level_buttons)
    script.tap(levels[level].rect)
    page._pick_level(level)
    if label_preset is not None:
        script.tap(dict(page.preset_buttons)[label_preset].rect)
        script.tap(page.keyboard_ok.rect)
    activities = {a.id: b for a, b in page.activity_buttons}
    script.tap(activities[activity_id].rect)
    script.tap(page.start_button.rect, 1.0)


class Tour(Script):
    def __init__(self, config, classes, fps_cap: int = HEADLESS_MAX_FPS, seed: int = 1, fake_sensors: bool = False):
        super().__init__()
        pygame.init()
        # Headless and seeded: the same crowd, the same screenshots, run after run.
        self.app = App(config, headless=True, classes=classes, seed=seed, fake_sensors=fake_sensors)
        if fake_sensors:
            self.app.services.start_sensors(self.app.errors.report)   # as `kiosk run --fake-sensors` does before start()
        self.app.start()
        self.canvas = pygame.Surface(self.app.canvas_size)
        self.clock = pygame.time.Clock()
        self.fps_cap = fps_cap        # like `kiosk run --headless`: worker threads get time to answer
        self.frame_no = 0
        self._played = 0
        self.log: list[str] = []

    # -- playing ---------------------------------------------------------------------------------------
    def _frame(self) -> None:
        while self._played < len(self.steps) and self.steps[self._played].frame <= self.frame_no:
            step = self.steps[self._played]
            self._played += 1
            if step.action == "screenshot":
                Path(step.value).parent.mkdir(parents=True, exist_ok=True)
                pygame.image.save(self.canvas, str(step.value))
            elif step.action in (DOWN, UP):
                self.app.dispatch(InputEvent(step.action, pos=tuple(step.value)))
            elif step.action == KEY:
                self.app.dispatch(InputEvent(KEY, key=step.value))
            elif step.action == TEXT:
                self.app.dispatch(InputEvent(TEXT, text=step.value))
        self.app.virtual.t += DT
        self.app.tick(DT)
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
        return self.app.groups

    def overlay(self):
        """The group's panel over the step's station (or the resume pill), as the chrome shows it."""
        return self.app.chrome.group_overlay.current()

    def step_screen(self):
        """The full-screen step (instruction, quiz, results) on screen, or None."""
        return self.app.nav.screen if self.app.nav.screen_name == ScreenName.GROUP else None

    def next_button(self) -> pygame.Rect:
        """« Suivant » of the step on screen: the step screen's button, or the panel's over a station."""
        screen = self.step_screen()
        if screen is not None:
            return screen.next_button.rect
        return self.overlay().next.rect

    def retry_button(self) -> pygame.Rect:
        return self.overlay().retry.rect

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


CLASS_OF: dict[str, Driver] = {"crowds": crowd_class, "phantom-jams": traffic_class}

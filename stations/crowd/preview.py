"""The crowd's slide in the attract loop: the evacuation room, people in a hurry, the door jamming.

Its own small model, so what a visitor left on the station (pillars, closed doors) never shows here.
"""
from __future__ import annotations

import pygame

from .scenario import load_scenario
from .view import CrowdView

PREVIEW_AGENTS = 120        # the room empties in about a minute of showing, then starts again
PREVIEW_SPEED = 1.5         # m/s desired: hurried, the arch at the door forms, nobody panics
MAX_STEPS_PER_FRAME = 3     # a slow frame slows the preview down rather than the kiosk
PAUSE_EMPTY_S = 2.0


class CrowdPreview:
    def __init__(self, seed: int = 0, asynchronous: bool = True):
        self.asynchronous = asynchronous
        self.seed = seed
        self.model = None
        self.view: CrowdView | None = None
        self._lag = 0.0
        self._empty_for = 0.0
        self._restart()

    def _restart(self) -> None:
        if self.model is not None:
            self.model.close()
        self.seed += 1
        self.model = load_scenario("evacuation").build(agents=PREVIEW_AGENTS, seed=self.seed, async_navigation=self.asynchronous)
        self.model.desired_speed = PREVIEW_SPEED
        if self.view is not None:
            self.view.fit(self.model)
        self._lag = 0.0
        self._empty_for = 0.0

    def update(self, dt: float) -> None:
        model = self.model
        if model.count == 0:
            self._empty_for += dt
            if self._empty_for >= PAUSE_EMPTY_S:
                self._restart()
            return
        self._lag = min(self._lag + dt, MAX_STEPS_PER_FRAME * model.dt)
        while self._lag >= model.dt:
            model.step()
            self._lag -= model.dt

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        if self.view is None or self.view.rect != rect:
            self.view = CrowdView(rect)
            self.view.fit(self.model)
        self.view.draw(surface, self.model, "speed")

    def close(self) -> None:
        self.model.close()

"""The traffic's slide in the attract loop: the 22 cars of Sugiyama's ring, a stop-and-go wave running
backwards through them with nobody braking on purpose."""
from __future__ import annotations

import numpy as np
import pygame

from .idm import EXHIBIT
from .model import TrafficModel
from .roads import Road
from .view import RoadView

RING_M, CARS = 230.0, 22       # Sugiyama et al. (2008): 22 cars on a 230 m circle
WARM_UP_S = 120.0              # the wave has formed before anyone looks (600 steps, a few ms)
TIME_LAPSE = 2.0               # the wave goes round in about 20 s of showing
TOP_KMH = 60.0                 # colour scale: the ring's cars never go faster


class TrafficPreview:
    def __init__(self, seed: int = 0):
        self.model = TrafficModel(road=Road(length=RING_M), params=EXHIBIT, vehicles=CARS, seed=seed, measure=False)
        self.model.step(WARM_UP_S)
        self.view: RoadView | None = None
        self._nobody = np.zeros(CARS, bool)

    def update(self, dt: float) -> None:
        self.model.step(min(dt, 0.1) * TIME_LAPSE)

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        if self.view is None or self.view.rect != rect:
            self.view = RoadView(self.model.road, rect)
        m = self.model
        self.view.draw_road(surface, None)
        self.view.draw_cars(surface, m.positions(), m.lane, m.length, m.v * 3.6, TOP_KMH, m.smart, self._nobody)

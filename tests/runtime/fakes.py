"""Small stations for runtime tests: one that behaves, one that breaks on demand."""
from __future__ import annotations

import pygame

from kiosk.input import DOWN
from kiosk.station import Station


class CalmStation(Station):
    id = "calm"
    title = "Calme"
    teaser = "Une activité de test"
    icon = "walk"
    config_defaults = {"speed": 1.0}

    def __init__(self, ctx):
        super().__init__(ctx)
        self.touches = 0
        self.frames = 0
        self.resets = 0

    def reset(self):
        self.touches = 0
        self.resets += 1

    def handle_event(self, ev):
        if ev.kind == DOWN:
            self.touches += 1
            self.ctx.recorder.record("traffic.tap", {"scenario": "test"}, station=self.id)
            return True
        return False

    def update(self, dt):
        self.frames += 1

    def draw(self, surface):
        surface.fill((20, 60, 20))
        pygame.draw.circle(surface, (200, 200, 80), (960, 540), 100)


class BrokenStation(CalmStation):
    id = "broken"
    title = "Cassée"
    teaser = "Elle plante"
    fail_after_frames = 5

    def update(self, dt):
        super().update(dt)
        if self.frames > self.fail_after_frames:
            raise RuntimeError("simulated bug in a station")


CLASSES = {"calm": CalmStation, "broken": BrokenStation}

"""Outside opening hours: a calm, dark screen. Sensors keep logging behind it."""
from __future__ import annotations

import math

import pygame

from kiosk.screens.base import Screen
from kiosk.ui import draw_text

DIM = (8, 10, 16)
TEXT = (150, 158, 175)   # 7.6:1 on DIM, quiet but readable


class ClosedScreen(Screen):
    def __init__(self, app):
        super().__init__(app)
        self.t = 0.0

    def update(self, dt: float) -> None:
        self.t += dt

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(DIM)
        # a slow drift so the panel never burns in
        dy = 40 * math.sin(self.t / 20)
        font = self.app.assets.font(72, True)
        draw_text(surface, font, "Fermé · Closed", (w / 2, h / 2 - 60 + dy), TEXT, "center")
        nxt = self.app.next_opening_text()
        if nxt:
            draw_text(surface, self.app.assets.font(40), nxt, (w / 2, h / 2 + 40 + dy), TEXT, "center")

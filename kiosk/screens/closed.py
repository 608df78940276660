"""Outside opening hours: a calm, dark screen. Sensors keep logging behind it."""
from __future__ import annotations

import math

import pygame

from kiosk.context import RuntimeContext
from kiosk.screens.base import Screen
from kiosk.ui import draw_text

DIM = (8, 10, 16)
TEXT = (150, 158, 175)   # 7.6:1 on DIM, quiet but readable
MUTED = (125, 133, 150)  # 5.3:1 on DIM: the other languages' line


class ClosedScreen(Screen):
    def __init__(self, ctx: RuntimeContext):
        super().__init__(ctx)
        self.t = 0.0

    def update(self, dt: float) -> None:
        self.t += dt

    def frame_rate(self) -> float:
        """The drift moves a pixel or two a second: one frame a second shows it (when the screen is on)."""
        return 1.0

    def describe(self) -> str:
        nxt = self.ctx.hours.next_opening_text(self.ctx.i18n.lang)
        return f"{self._('Fermé')}. {nxt}"

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(DIM)
        # a slow drift so the panel never burns in
        dy = 40 * math.sin(self.t / 20)
        font = self.ctx.assets.font(72, True)
        draw_text(surface, font, "Fermé · Closed", (w / 2, h / 2 - 60 + dy), TEXT, "center")
        # Nobody picks a language here: the next opening is said in every language of the kiosk.
        y = h / 2 + 40 + dy
        said: set[str] = set()
        for i, lang in enumerate(self.ctx.config.languages):
            if lang.split("-")[0] in said:
                continue        # a variant of a language already said (easy French after French)
            said.add(lang.split("-")[0])
            nxt = self.ctx.hours.next_opening_text(lang)
            if nxt:
                draw_text(surface, self.ctx.assets.font(40 if i == 0 else 34, lang=lang), nxt, (w / 2, y), TEXT if i == 0 else MUTED,
                          "center")
                y += 64 if i == 0 else 52

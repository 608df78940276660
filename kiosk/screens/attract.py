"""The attract loop: an animated invitation to touch, previews of the stations, a few approved
contributions from the questions wall."""
from __future__ import annotations

import logging
import math

import numpy as np
import pygame

from kiosk.input import DOWN
from kiosk.screens.base import Screen
from kiosk.ui import THEME, draw_text, draw_text_block

PREVIEW_SECONDS = 6.0
log = logging.getLogger(__name__)


class AttractScreen(Screen):
    def __init__(self, app):
        super().__init__(app)
        self.t = 0.0
        w, h = app.canvas_size
        rng = np.random.default_rng(7)
        # A calm crowd of dots drifting across the screen: the season's theme at a glance.
        self.dots = rng.uniform((0, 0), (w, h), size=(160, 2))
        self.vel = rng.normal(0, 1, size=(160, 2)) * 25 + np.array([40.0, 0.0])
        self.contributions: list[str] = []
        self._future = None

    def enter(self) -> None:
        self.t = 0.0
        self._future = self.app.approved_contributions()

    def handle_event(self, ev) -> bool:
        if ev.kind == DOWN:
            self.app.start_visit()
            return True
        return False

    def update(self, dt: float) -> None:
        self.t += dt
        if self._future is not None and self._future.done():
            try:
                self.contributions = [str(q) for q in self._future.result()]
            except Exception:
                log.warning("approved contributions unavailable", exc_info=True)
            self._future = None
        w, h = self.app.canvas_size
        self.dots += self.vel * dt
        self.dots %= (w, h)

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(THEME.background)
        for x, y in self.dots:
            pygame.draw.circle(surface, THEME.surface_hi, (int(x), int(y)), 7)
        assets = self.app.assets
        draw_text(surface, assets.font(110, True), "QSEC²  ·  Mobilités", (w / 2, h * 0.16), THEME.accent, "center")
        draw_text(surface, assets.font(40), "Questions de Sciences, Enjeux Citoyens", (w / 2, h * 0.16 + 90), THEME.text_muted, "center")
        self._draw_preview(surface, pygame.Rect(w * 0.5 - 440, 298, 880, 416) if w > h else pygame.Rect(60, h * 0.28, w - 120, 560))
        pulse = 0.5 + 0.5 * math.sin(self.t * 2.4)
        color = tuple(int(c1 + (c2 - c1) * pulse) for c1, c2 in zip(THEME.text, THEME.accent))
        hand = assets.icon("hand-finger", 110, THEME.accent)
        y = h * 0.80 if w > h else h * 0.72
        surface.blit(hand, hand.get_rect(center=(w / 2, y - 30 - 16 * pulse)))
        draw_text(surface, assets.font(64, True), "Touchez l'écran pour commencer", (w / 2, y + 70), color, "center")
        draw_text(surface, assets.font(44), "Touch the screen to start", (w / 2, y + 140), THEME.text_muted, "center")
        if self.contributions:
            quote = self.contributions[int(self.t // PREVIEW_SECONDS) % len(self.contributions)]
            draw_text(surface, assets.font(30), f"« {quote[:110]} »", (w / 2, h - 36), THEME.text_muted, "center")

    def _draw_preview(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        stations = self.app.menu_stations()
        if not stations:
            return
        index = int(self.t // PREVIEW_SECONDS) % len(stations)
        sid = stations[index]
        cls = self.app.station_class(sid)
        pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
        inner = rect.inflate(-40, -40)
        icon = self.app.assets.icon(cls.icon, 140, THEME.accent)
        surface.blit(icon, icon.get_rect(midtop=(inner.centerx, inner.top)))
        title_fr = cls.title
        title_en = self.app.i18n.translate_to("en", cls.title)
        draw_text(surface, self.app.assets.font(60, True), title_fr, (inner.centerx, inner.top + 150), THEME.text, "midtop")
        if title_en != title_fr:
            draw_text(surface, self.app.assets.font(36), title_en, (inner.centerx, inner.top + 222), THEME.text_muted, "midtop")
        draw_text_block(surface, self.app.assets.font(34), cls.teaser, pygame.Rect(inner.left, inner.top + 280, inner.width, 100),
                        THEME.text, align="center")
        # progress dots: which preview is showing
        n = len(stations)
        for i in range(n):
            cx = rect.centerx + (i - (n - 1) / 2) * 28
            pygame.draw.circle(surface, THEME.accent if i == index else THEME.surface_hi, (int(cx), rect.bottom + 26), 8)

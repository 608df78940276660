"""The attract loop: an animated invitation to touch, previews of the stations, a few approved
contributions from the questions wall."""
from __future__ import annotations

import logging
import math

import numpy as np
import pygame

from kiosk.input import DOWN, KEY
from kiosk.context import RuntimeContext
from kiosk.screens.base import Screen
from kiosk.ui import THEME, draw_text, draw_text_block
from kiosk.ui.widgets import wrap_text

PREVIEW_SECONDS = 6.0
ATTRACT_RATE = 30.0
log = logging.getLogger(__name__)


class AttractScreen(Screen):
    def __init__(self, ctx: RuntimeContext):
        super().__init__(ctx)
        self.t = 0.0
        w, h = ctx.canvas_size
        rng = np.random.default_rng(7)
        # A calm crowd of dots drifting across the screen: the season's theme at a glance.
        self.dots = rng.uniform((0, 0), (w, h), size=(160, 2))
        self.vel = rng.normal(0, 1, size=(160, 2)) * 25 + np.array([40.0, 0.0])
        self.contributions: list[str] = []
        self._future = None

    def enter(self) -> None:
        self.t = 0.0
        self._future = self._approved_contributions()

    def _approved_contributions(self):
        """A future of a few approved wall texts, or None without a wall: the wall station's class
        offers `attract_quotes(conn, limit)` (approved contributions only)."""
        wall = self.ctx.stations.classes.get("wall")
        quotes = getattr(wall, "attract_quotes", None)
        if quotes is None:
            return None
        return self.ctx.reader.submit(lambda conn: list(quotes(conn, 8)))

    def frame_rate(self) -> float:
        """Dots drifting a pixel a frame, a slow pulse, the previews' small crowds: 30 frames a second."""
        return ATTRACT_RATE

    def describe(self) -> str:
        titles = ", ".join(self._(self.ctx.stations.station_class(sid).title) for sid in self.ctx.stations.menu())
        return (self._("QSEC² Mobilités : une exposition sur nos façons de bouger. Activités : {list}.")
                .format(list=titles) + " " + self._("Touchez l’écran ou appuyez sur Entrée pour commencer."))

    def handle_event(self, ev) -> bool:
        if ev.kind == DOWN or (ev.kind == KEY and self.ctx.access.focus.is_select(ev.key)):
            self.ctx.nav.start_visit()
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
        w, h = self.ctx.canvas_size
        if not self.ctx.access.reduced_motion:     # decorative: stands still for who asked
            self.dots += self.vel * dt
            self.dots %= (w, h)
        sid = self._slide()[1]
        preview = self.ctx.stations.attract_preview(sid) if sid else None
        if preview is not None:     # only the slide on show moves: the others cost nothing
            self.ctx.guard(f"{sid}.attract_preview.update", preview.update, dt, station=sid)

    def _slide(self) -> tuple[int, str | None]:
        stations = self.ctx.stations.menu()
        if not stations:
            return 0, None
        index = int(self.t // PREVIEW_SECONDS) % len(stations)
        return index, stations[index]

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(THEME.background)
        for x, y in self.dots:
            pygame.draw.circle(surface, THEME.surface_hi, (int(x), int(y)), 7)
        assets = self.ctx.assets
        draw_text(surface, assets.font(110, True, lang="fr"), "QSEC²  ·  Mobilités", (w / 2, h * 0.16), THEME.accent, "center")
        draw_text(surface, assets.font(40, lang="fr"), "Questions de Sciences, Enjeux Citoyens", (w / 2, h * 0.16 + 90), THEME.text_muted, "center")
        self._draw_preview(surface, pygame.Rect(w * 0.5 - 440, 298, 880, 416) if w > h else pygame.Rect(60, h * 0.28, w - 120, 560))
        pulse = 1.0 if self.ctx.access.reduced_motion else 0.5 + 0.5 * math.sin(self.t * 2.4)
        color = tuple(int(c1 + (c2 - c1) * pulse) for c1, c2 in zip(THEME.text, THEME.accent))
        hand = assets.icon("hand-finger", 110, THEME.accent)
        y = h * 0.77 if w > h else h * 0.72
        surface.blit(hand, hand.get_rect(center=(w / 2, y - 30 - 16 * pulse)))
        draw_text(surface, assets.font(64, True, lang="fr"), "Touchez l’écran pour commencer", (w / 2, y + 70), color, "center")
        draw_text(surface, assets.font(44, lang="fr"), "Touch the screen to start", (w / 2, y + 140), THEME.text_muted, "center")
        if self.contributions:
            quote = self.contributions[int(self.t // PREVIEW_SECONDS) % len(self.contributions)]
            font = assets.font(28, lang="fr")
            lines = quote_lines(font, quote, w - 160, max_lines=1 if w > h else 2)
            step = font.get_linesize()
            for k, line in enumerate(lines):
                draw_text(surface, font, line, (w / 2, h - 34 - (len(lines) - 1 - k) * step), THEME.text_muted, "center",
                          direction="auto")     # a visitor's words, in whatever script they were typed

    def _draw_preview(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        index, sid = self._slide()
        if sid is None:
            return
        cls = self.ctx.stations.station_class(sid)
        preview = self.ctx.stations.attract_preview(sid)
        landscape = surface.get_width() > surface.get_height()
        if preview is not None:     # the live miniature beside (or above) the words
            rect = rect.inflate(560, 0) if landscape else pygame.Rect(rect.left, 440, rect.width, 720)
        pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
        inner = rect.inflate(-40, -40)
        if preview is not None:
            if landscape:
                area = pygame.Rect(inner.left, inner.top, 680, inner.height)
                words = pygame.Rect(area.right + 30, inner.centery - 125, inner.right - area.right - 30, 250)
            else:
                area = pygame.Rect(inner.left, inner.top, inner.width, 420)
                words = pygame.Rect(inner.left, area.bottom + 20, inner.width, inner.bottom - area.bottom - 20)
            pygame.draw.rect(surface, THEME.background, area, border_radius=THEME.radius)
            surface.set_clip(area)
            self.ctx.guard(f"{sid}.attract_preview.draw", preview.draw, surface, area, station=sid)
            surface.set_clip(None)
            self._draw_words(surface, cls, words, with_icon=False)
        else:
            self._draw_words(surface, cls, inner, with_icon=True)
        # progress dots: which preview is showing
        n = len(self.ctx.stations.menu())
        for i in range(n):
            cx = rect.centerx + (i - (n - 1) / 2) * 28
            pygame.draw.circle(surface, THEME.accent if i == index else THEME.surface_hi, (int(cx), rect.bottom + 26), 8)

    def _draw_words(self, surface: pygame.Surface, cls, box: pygame.Rect, with_icon: bool) -> None:
        """Icon, French title, English title and teaser, centred in box."""
        top = box.top
        if with_icon:
            icon = self.ctx.assets.icon(cls.icon, 140, THEME.accent)
            surface.blit(icon, icon.get_rect(midtop=(box.centerx, top)))
            top += 150
        title_fr = cls.title
        title_en = self.ctx.i18n.translate_to("en", cls.title)
        draw_text(surface, self.ctx.assets.font(60, True, lang="fr"), title_fr, (box.centerx, top), THEME.text, "midtop")
        if title_en != title_fr:
            draw_text(surface, self.ctx.assets.font(36, lang="fr"), title_en, (box.centerx, top + 72), THEME.text_muted, "midtop")
        draw_text_block(surface, self.ctx.assets.font(34, lang="fr"), cls.teaser, pygame.Rect(box.left, top + 130, box.width, 140),
                        THEME.text, align="center")


def quote_lines(font: pygame.font.Font, quote: str, width: int, max_lines: int) -> list[str]:
    """A visitor's words between « », wrapped to `width`; past `max_lines` cut at a word and ended by « … »."""
    lines = wrap_text(font, f"« {' '.join(quote.split())} »", width)
    if len(lines) <= max_lines:
        return lines
    kept, last = lines[:max_lines - 1], lines[max_lines - 1].split(" ")
    while len(last) > 1 and font.size(" ".join(last) + " …\u202f»")[0] > width:
        last.pop()
    return kept + [" ".join(last) + " …\u202f»"]

"""Outside opening hours: a calm, dark screen. Sensors keep logging behind it."""
from __future__ import annotations

import math

import pygame

from kiosk.context import RuntimeContext
from kiosk.i18n import N_
from kiosk.screens.base import Screen
from kiosk.ui import draw_text

DIM = (8, 10, 16)
TEXT = (150, 158, 175)   # 7.6:1 on DIM, quiet but readable
MUTED = (125, 133, 150)  # 5.3:1 on DIM: the other languages' line
CLOSED = N_("Fermé")
SEPARATOR = "  ·  "


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
        return f"{self._(CLOSED)}. {nxt}"

    def languages(self) -> list[str]:
        """The kiosk's languages, each said once (easy French is French), the first one first."""
        said: dict[str, str] = {}
        for lang in self.ctx.config.languages:
            said.setdefault(lang.split("-")[0], lang)
        return list(said.values())

    def headline(self) -> list[tuple[str, str]]:
        """(language, « Fermé » in it) for each language: nobody picks a language here."""
        return [(lang, self.ctx.i18n.translate_to(lang, CLOSED)) for lang in self.languages()]

    def draw(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        surface.fill(DIM)
        # a slow drift so the panel never burns in
        dy = 40 * math.sin(self.t / 20)
        words = self.headline()
        first, others = words[0], words[1:]
        draw_text(surface, self.ctx.assets.font(72, True, lang=first[0]), first[1], (w / 2, h / 2 - 120 + dy), TEXT, "center")
        if others:
            self._row(surface, [(self.ctx.assets.font(44, lang=lang), word) for lang, word in others], w / 2,
                      h / 2 - 40 + dy)
        # The next opening, said in every language of the kiosk too.
        y = h / 2 + 40 + dy
        for i, lang in enumerate(self.languages()):
            nxt = self.ctx.hours.next_opening_text(lang)
            if nxt:
                draw_text(surface, self.ctx.assets.font(40 if i == 0 else 34, lang=lang), nxt, (w / 2, y), TEXT if i == 0 else MUTED,
                          "center")
                y += 64 if i == 0 else 52

    def _row(self, surface: pygame.Surface, words: list[tuple[object, str]], centre_x: float, y: float) -> None:
        """Words in several scripts (each with its own font) on one centred line, cut in two if too wide."""
        sep_font = words[0][0]
        images = [font.render(word, True, MUTED) for font, word in words]
        sep = sep_font.render(SEPARATOR, True, MUTED)
        width = sum(img.get_width() for img in images) + sep.get_width() * (len(images) - 1)
        if width > surface.get_width() - 80 and len(words) > 1:
            half = (len(words) + 1) // 2
            self._row(surface, words[:half], centre_x, y)
            self._row(surface, words[half:], centre_x, y + sep_font.get_linesize())
            return
        x = centre_x - width / 2
        for k, img in enumerate(images):
            if k:
                surface.blit(sep, sep.get_rect(midleft=(round(x), round(y))))
                x += sep.get_width()
            surface.blit(img, img.get_rect(midleft=(round(x), round(y))))
            x += img.get_width()

"""The on-screen keyboard view: lays the keys of a KeyboardState out in a rectangle and draws them.

Keys are at least THEME.min_touch (90 px) high; special keys are wider so a finger finds them.
"""
from __future__ import annotations

import pygame

from kiosk.access.controls import report_control
from kiosk.i18n import N_

from kiosk.input import DOWN, UP, InputEvent
from kiosk.ui import THEME, draw_text
from kiosk.ui.keys import ACCENTS, BACKSPACE, LETTERS, SHIFT, SPACE, SYMBOLS, KeyboardState

WIDE = {SHIFT: 1.5, BACKSPACE: 1.5, SPACE: 5.0, ACCENTS: 1.5, SYMBOLS: 1.5, LETTERS: 1.5}
# what speech says of the keys drawn as pictograms or symbols (a letter says itself)
KEY_NAMES = {SHIFT: N_("Majuscules"), BACKSPACE: N_("Effacer"), SPACE: N_("Espace")}
GAP = 10


class KeyboardView:
    def __init__(self, state: KeyboardState, rect: pygame.Rect, assets, min_row: int = THEME.min_touch):
        self.state = state
        self.rect = pygame.Rect(rect)
        self.assets = assets
        self.min_row = min_row
        self._pressed: tuple[str, pygame.Rect] | None = None

    def key_rects(self) -> list[tuple[str, pygame.Rect]]:
        rows = self.state.rows
        gap = GAP if self.rect.width >= 1400 else 6     # portrait: every pixel counts for 11 keys
        row_h = max(self.min_row, (self.rect.height - gap * (len(rows) - 1)) // len(rows))
        # the widest row (in key units, gaps included) sets the unit so that every row fits
        unit = min(min((self.rect.width - gap * (len(row) - 1)) / sum(WIDE.get(k, 1.0) for k in row) for row in rows),
                   row_h * 1.5)
        out = []
        for r, row in enumerate(rows):
            widths = [unit * WIDE.get(k, 1.0) for k in row]
            total = sum(widths) + gap * (len(row) - 1)
            x = self.rect.centerx - total / 2
            y = self.rect.top + r * (row_h + gap)
            for key, w in zip(row, widths):
                out.append((key, pygame.Rect(round(x), y, int(w), row_h)))
                x += w + gap
        return out

    def handle_event(self, ev: InputEvent) -> bool:
        if ev.kind == DOWN:
            for key, rect in self.key_rects():
                if rect.collidepoint(ev.pos):
                    self._pressed = (key, rect)
                    return True
            return False
        if ev.kind == UP and self._pressed is not None:
            key, rect = self._pressed
            self._pressed = None
            if rect.collidepoint(ev.pos):
                self.state.press(key)
            return True
        return False

    def draw(self, surface: pygame.Surface) -> None:
        font = self.assets.font(THEME.font_body + 8)
        small = self.assets.font(THEME.font_small, bold=True)
        for key, rect in self.key_rects():
            report_control(rect, KEY_NAMES.get(key, self.state.label(key)))
            special = key in WIDE
            active = (key == SHIFT and self.state.shift) or (key == ACCENTS and self.state.layer == "accents")
            pressed = self._pressed is not None and self._pressed[0] == key
            color = THEME.accent if active else (THEME.surface_hi if pressed or special else THEME.surface)
            pygame.draw.rect(surface, color, rect, border_radius=12)
            if not active:              # every control's edge (a key's fill is 1.2:1 against the page)
                pygame.draw.rect(surface, THEME.outline, rect, width=2, border_radius=12)
            fg = THEME.on_accent if active else THEME.text
            if key == BACKSPACE:
                surface.blit(self.assets.icon("backspace", 48, fg), self.assets.icon("backspace", 48, fg).get_rect(center=rect.center))
            elif key == SHIFT:
                surface.blit(self.assets.icon("arrow-big-up", 48, fg), self.assets.icon("arrow-big-up", 48, fg).get_rect(center=rect.center))
            elif key == SPACE:
                pygame.draw.line(surface, fg, (rect.left + 40, rect.bottom - 28), (rect.right - 40, rect.bottom - 28), 4)
            elif special:
                draw_text(surface, small, key, rect.center, fg, "center")
            else:
                draw_text(surface, font, self.state.label(key), rect.center, fg, "center")

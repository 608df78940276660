"""The language menu in the chrome's top-right box: the current language named in its own words; a
tap opens the list of the kiosk's languages, each in its own script, the current one marked; one tap
on a language chooses it and closes the list, a tap anywhere else closes it."""
from __future__ import annotations

from typing import Callable

import pygame

from kiosk.access.controls import ON_SCREEN
from kiosk.context import RuntimeContext
from kiosk.i18n import language_name
from kiosk.input import DOWN, UP, InputEvent
from kiosk.ui import THEME, Mirror, draw_text

ROW_H = 100
MENU_W = 460


class LanguageMenu:
    def __init__(self, ctx: RuntimeContext, button_rect: pygame.Rect, choose: Callable[[str], None],
                 bottom: int | None = None):
        """`bottom`: the lowest row the list may reach (the reach band's bottom on a portrait totem)."""
        self.ctx = ctx
        self.button_rect = pygame.Rect(button_rect)
        self.bottom = ctx.canvas_size[1] - 16 if bottom is None else bottom
        self.choose = choose
        self.is_open = False
        self._pressed: tuple[int, str | None] | None = None   # (pointer, language row or None) of a touch

    def rows(self) -> list[tuple[str, pygame.Rect]]:
        """Each language and its row, under the button, right edges aligned (within the canvas); in more
        columns, leftwards, when one would go below `bottom` (out of reach from a wheelchair)."""
        w = self.ctx.canvas_size[0]
        right = min(self.button_rect.right, w - 16)
        top = self.button_rect.bottom + 12
        per_column = max(1, (self.bottom - top + 8) // ROW_H)
        return [(lang, pygame.Rect(right - (1 + i // per_column) * (MENU_W + 12) + 12, top + (i % per_column) * ROW_H,
                                   MENU_W, ROW_H - 8))
                for i, lang in enumerate(self.ctx.i18n.languages)]

    def toggle(self) -> None:
        self.is_open = not self.is_open

    def close(self) -> None:
        self.is_open, self._pressed = False, None

    def handle_event(self, ev: InputEvent) -> bool:
        """While open, every touch is the menu's: a row chooses (on release inside it), elsewhere closes."""
        if not self.is_open or not ev.is_pointer:
            return False
        row = next((lang for lang, r in self.rows() if r.collidepoint(ev.pos)), None)
        if ev.kind == DOWN:
            self._pressed = (ev.pointer, row)
        elif ev.kind == UP and self._pressed and self._pressed[0] == ev.pointer:
            pressed_row, self._pressed = self._pressed[1], None
            if row is not None and row == pressed_row:
                self.close()
                self.choose(row)
            elif row is None and not self.button_rect.collidepoint(ev.pos):
                self.close()
            elif row is None:
                self.close()                                # the button again: closes without a choice
        return True

    # -- drawing -------------------------------------------------------------------------------------
    def draw_button(self, surface: pygame.Surface, area: pygame.Rect) -> None:
        """Inside the chrome's box: a globe and the current language's own name."""
        assets, lang = self.ctx.assets, self.ctx.i18n.lang
        if self.is_open:
            pygame.draw.rect(surface, THEME.accent, area, width=4, border_radius=THEME.radius - 6)
        icon_size = min(44, area.height - 16)
        icon = assets.icon("world", icon_size, THEME.text)
        name = language_name(lang)
        room = area.width - icon_size - 28
        for size in (32, 28, 24, 20):
            font = assets.font(size, True, lang=lang)
            if font.size(name)[0] <= room:
                break
        width = icon_size + 10 + font.size(name)[0]
        x = area.centerx - width // 2
        surface.blit(icon, icon.get_rect(midleft=(x, area.centery)))
        draw_text(surface, font, name, (x + icon_size + 10, area.centery), THEME.text, "midleft")

    def draw_menu(self, surface: pygame.Surface) -> None:
        if not self.is_open:
            return
        rows = self.rows()
        frame = rows[0][1].unionall([r for _, r in rows]).inflate(24, 24)
        pygame.draw.rect(surface, THEME.background, frame, border_radius=THEME.radius + 4)
        pygame.draw.rect(surface, THEME.text_muted, frame, width=2, border_radius=THEME.radius + 4)
        ON_SCREEN.modal()      # the open list covers the screen: keys reach its rows only (Escape closes it)
        for lang, r in rows:
            ON_SCREEN.report(r, language_name(lang))
            current = lang == self.ctx.i18n.lang
            pygame.draw.rect(surface, THEME.accent if current else THEME.surface, r, border_radius=THEME.radius)
            color = THEME.on_accent if current else THEME.text
            # each name in its own script and font; the current one also carries a check mark (not colour alone);
            # names from the right and the mark on the left while the kiosk speaks Arabic
            row = Mirror(r, self.ctx.i18n.rtl)
            row.text(surface, self.ctx.assets.font(36, True, lang=lang), language_name(lang), (r.left + 32, r.centery),
                     color, "midleft")
            if current:
                check = self.ctx.assets.icon("check", 44, color)
                row.blit(surface, check, check.get_rect(midright=(r.right - 24, r.centery)))

"""What the runtime draws over every screen: the home button, the FR/EN switch, the mediator
corner, the "Encore là ?" countdown, short messages, and the school-group banner."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.input import DOWN, MOVE, UP, InputEvent
from kiosk.ui import THEME, Button, draw_text

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.app import App

CORNER = pygame.Rect(0, 0, 110, 110)
TOAST_S = 5.0
NO_CHROME = ("closed", "pin", "mediator")   # no home button, no group banner or overlay


class Chrome:
    def __init__(self, app: "App"):
        self.app = app
        w, h = app.canvas_size
        self.home = Button(pygame.Rect(120, 16, 96, 96), on_press=app.go_home,
                           icon=app.assets.icon("home", 56, THEME.text))
        self.language = Button(pygame.Rect(w - 236, 16, 220, 96), on_press=self._next_language)
        self.corner_pointer: int | None = None
        self.corner_since = 0.0
        self.warning = False
        self.toast_text = ""
        self.toast_until = 0.0

    # -- state -------------------------------------------------------------------------------------
    def _visible(self) -> bool:
        return self.app.screen_name not in NO_CHROME

    def _shows_language(self) -> bool:
        """FR/EN on every screen but the closed one (which says everything in every language at once),
        and on a mediator page only if it keeps the top-right corner free for it."""
        if len(self.app.i18n.languages) < 2 or self.app.screen_name == "closed":
            return False
        if self.app.screen_name == "mediator":
            free = getattr(self.app.screen, "language_corner_free", None)
            return bool(free()) if callable(free) else False
        return True

    def _shows_home(self) -> bool:
        return self.app.screen_name in self.app.stations and not (
            self.app.start_station and len(self.app.config.stations) == 1)

    def _next_language(self) -> None:
        lang = self.app.i18n.next_language()
        if self.app.in_mediator or self.app.screen_name == "pin":
            return  # a mediator's choice, not a visitor's: not recorded, and undone on leaving mediator mode
        self.app.recorder.record("language.change", {"lang": lang})
        if self.app.screen_name == "attract":
            self.app.start_visit()

    def toast(self, text: str) -> None:
        self.toast_text = text
        self.toast_until = self.app.clock() + TOAST_S

    # -- frame ---------------------------------------------------------------------------------------
    def handle_event(self, ev: InputEvent) -> bool:
        self._track_corner(ev)
        if self.warning and ev.kind in (DOWN, UP, MOVE):
            if ev.kind == UP:
                self.warning = False
            return True  # the touch that cancels the countdown does nothing else
        if self._visible():
            group = self.app.services.get("group")
            if group is not None and self.app.guard("group.overlay", group.handle_overlay_event, ev):
                return True
        if self._shows_language() and self.language.handle_event(ev):
            return True
        return self._visible() and self._shows_home() and self.home.handle_event(ev)

    def _track_corner(self, ev: InputEvent) -> None:
        if ev.kind == DOWN and CORNER.collidepoint(ev.pos):
            self.corner_pointer, self.corner_since = ev.pointer, self.app.clock()
        elif ev.pointer == self.corner_pointer and (ev.kind == UP or (ev.kind == MOVE and not CORNER.collidepoint(ev.pos))):
            self.corner_pointer = None

    def update(self, dt: float, warning: bool) -> None:
        self.warning = warning
        group = self.app.services.get("group")
        if group is not None:
            self.app.guard("group.update", group.update, dt)
        if self.corner_pointer is not None and self.app.clock() - self.corner_since >= self.app.config.pin_hold_s:
            self.corner_pointer = None
            self.app.open_pin_pad()

    def draw(self, surface: pygame.Surface) -> None:
        assets, _ = self.app.assets, self.app.i18n.gettext
        w, h = surface.get_size()
        group = self.app.services.get("group")
        label = (getattr(group, "banner", "") if group is not None else "") if self._visible() else ""
        if self._visible() and self._shows_home():
            self.home.draw(surface, assets.font(30))
        if self._shows_language():
            self._draw_language(surface, with_label=bool(label))
        if group is not None and self._visible():
            self.app.guard("group.overlay", group.draw_overlay, surface)
        if label:
            self._draw_group_label(surface, label)
        if self.toast_text and self.app.clock() < self.toast_until:
            font = assets.font(38, True)
            text = _(self.toast_text)
            box = pygame.Rect(0, 0, font.size(text)[0] + 80, 100)
            box.midbottom = (w // 2, h - 60)
            pygame.draw.rect(surface, THEME.surface_hi, box, border_radius=THEME.radius)
            draw_text(surface, font, text, box.center, THEME.text, "center")
        if self.warning:
            self._draw_warning(surface)

    def _draw_group_label(self, surface: pygame.Surface, label: str) -> None:
        """The school group's label inside the chrome's own top-right box, under FR/EN (or alone with one
        language): the one place no station puts a control."""
        r = self.language.rect
        if not self._shows_language():
            pygame.draw.rect(surface, THEME.surface, r, border_radius=THEME.radius)
        area = pygame.Rect(r.left + 8, r.bottom - 34 if self._shows_language() else r.top, r.width - 16,
                           34 if self._shows_language() else r.height)
        for size in (22, 20, 18):
            font = self.app.assets.font(size)
            if font.size(label)[0] <= area.width:
                break
        while font.size(label)[0] > area.width and len(label) > 1:   # a long class label is cut
            label = label[:-2] + "…"
        draw_text(surface, font, label, area.center, THEME.text_muted, "center")

    def _draw_language(self, surface: pygame.Surface, with_label: bool = False) -> None:
        r = self.language.rect
        pygame.draw.rect(surface, THEME.surface, r, border_radius=THEME.radius)
        langs = self.app.i18n.languages
        cell = r.width // len(langs)
        # With a group's label under them the cells are lower; the whole box stays the touch target.
        cells = pygame.Rect(r.left, r.top, r.width, r.height - 30) if with_label else r
        for i, lang in enumerate(langs):
            c = pygame.Rect(cells.left + i * cell, cells.top, cell, cells.height).inflate(-12, -12)
            current = lang == self.app.i18n.lang
            if current:
                pygame.draw.rect(surface, THEME.accent, c, border_radius=THEME.radius - 6)
            draw_text(surface, self.app.assets.font(30 if with_label else 36, True), lang.upper(), c.center,
                      THEME.on_accent if current else THEME.text, "center")

    def _draw_warning(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        surface.blit(shade, (0, 0))
        box = pygame.Rect(0, 0, 900, 460)
        box.center = (w // 2, h // 2)
        pygame.draw.rect(surface, THEME.surface, box, border_radius=28)
        left = int(self.app.idle.seconds_left() + 0.999)
        assets = self.app.assets
        draw_text(surface, assets.font(72, True), "Encore là ?", (box.centerx, box.top + 90), THEME.accent, "center")
        draw_text(surface, assets.font(44), "Still there?", (box.centerx, box.top + 165), THEME.text_muted, "center")
        draw_text(surface, assets.font(120, True), str(left), (box.centerx, box.top + 285), THEME.text, "center")
        draw_text(surface, assets.font(34), "Touchez l'écran pour continuer · Touch to continue",
                  (box.centerx, box.bottom - 50), THEME.text, "center")

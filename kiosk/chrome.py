"""What the runtime draws over every screen: the home button, the language menu, the mediator
corner, the "Encore là ?" countdown, short messages, and the school-group banner and overlay."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.context import RuntimeContext
from kiosk.frames import FULL_RATE
from kiosk.input import DOWN, MOVE, UP, InputEvent
from kiosk.language_menu import LanguageMenu
from kiosk.screens.names import NO_CHROME, ScreenName
from kiosk.i18n import N_
from kiosk.ui import THEME, Button, draw_text, fit_text

if TYPE_CHECKING:  # pragma: no cover
    from kiosk.groups.manager import GroupManager
    from kiosk.groups.panel import GroupOverlay

CORNER = pygame.Rect(0, 0, 110, 110)
STILL_THERE = N_("Encore là ?")
TOUCH_TO_CONTINUE = N_("Touchez l’écran pour continuer")


def home_button_rect(canvas_size: tuple[int, int]) -> pygame.Rect:
    """Where the home button is on every station (stations keep their own controls clear of it)."""
    return pygame.Rect(120, 16, 96, 96)


def language_button_rect(canvas_size: tuple[int, int]) -> pygame.Rect:
    """Where the language menu's button is (top right), with the school group's label under it."""
    return pygame.Rect(canvas_size[0] - 236, 16, 220, 96)


class Chrome:
    def __init__(self, ctx: RuntimeContext, groups: "GroupManager", group_overlay: "GroupOverlay"):
        self.ctx = ctx
        self.nav = ctx.nav
        self.groups = groups
        self.group_overlay = group_overlay
        self.home = Button(home_button_rect(ctx.canvas_size), on_press=self.nav.go_home,
                           icon=ctx.assets.icon("home", 56, THEME.text))
        self.language = Button(language_button_rect(ctx.canvas_size), on_press=self._toggle_menu)
        self.menu = LanguageMenu(ctx, self.language.rect, self._choose_language)
        self._screen_seen = self.nav.screen_name
        self.corner_pointer: int | None = None
        self.corner_since = 0.0
        self.warning = False

    # -- state -------------------------------------------------------------------------------------
    def _visible(self) -> bool:
        return self.nav.screen_name not in NO_CHROME

    def _shows_language(self) -> bool:
        """The language menu on every screen but the closed one (which says everything in every language at once),
        and on a mediator page only if it keeps the top-right corner free for it."""
        if len(self.ctx.i18n.languages) < 2 or self.nav.screen_name == ScreenName.CLOSED:
            return False
        if self.nav.screen_name == ScreenName.MEDIATOR:
            free = getattr(self.nav.screen, "language_corner_free", None)
            return bool(free()) if callable(free) else False
        return True

    def _shows_home(self) -> bool:
        return self.nav.screen_name in self.ctx.stations and not (
            self.nav.start_station and len(self.ctx.config.stations) == 1)

    def _toggle_menu(self) -> None:
        self.menu.toggle()

    def _choose_language(self, lang: str) -> None:
        self.ctx.i18n.set_language(lang)
        if self.nav.in_mediator or self.nav.screen_name == ScreenName.PIN:
            return  # a mediator's choice, not a visitor's: not recorded, and undone on leaving mediator mode
        self.ctx.recorder.record("language.change", {"lang": lang}, session_id=self.nav.visit.session_id)
        if self.nav.screen_name == ScreenName.ATTRACT:
            self.nav.start_visit()

    # -- frame ---------------------------------------------------------------------------------------
    def handle_event(self, ev: InputEvent) -> bool:
        self._track_corner(ev)
        if self.warning and ev.kind in (DOWN, UP, MOVE):
            if ev.kind == UP:
                self.warning = False
            return True  # the touch that cancels the countdown does nothing else
        if self._shows_language() and self.menu.handle_event(ev):
            return True
        if self._visible() and self.ctx.guard("group.overlay", self.group_overlay.handle_event, ev):
            return True
        if self._shows_language() and self.language.handle_event(ev):
            return True
        return self._visible() and self._shows_home() and self.home.handle_event(ev)

    def _track_corner(self, ev: InputEvent) -> None:
        if ev.kind == DOWN and CORNER.collidepoint(ev.pos):
            self.corner_pointer, self.corner_since = ev.pointer, self.ctx.clock()
        elif ev.pointer == self.corner_pointer and (ev.kind == UP or (ev.kind == MOVE and not CORNER.collidepoint(ev.pos))):
            self.corner_pointer = None

    def update(self, dt: float, warning: bool) -> None:
        self.warning = warning
        if warning or self.nav.screen_name != self._screen_seen or not self._shows_language():
            self.menu.close()     # a new screen, or the visitor gone quiet: the list does not linger
        self._screen_seen = self.nav.screen_name
        self.ctx.guard("group.update", self.groups.update, dt)
        if self.corner_pointer is not None and self.ctx.clock() - self.corner_since >= self.ctx.config.pin_hold_s:
            self.corner_pointer = None
            self.nav.open_pin_pad()

    # -- redrawing (kiosk/frames.py) ----------------------------------------------------------------
    def frame_rate(self) -> float:
        """A school group's panel and pill follow a running activity: full rate while a group is on."""
        return FULL_RATE if self.groups.active and self._visible() else 0.0

    def picture(self) -> tuple:
        """Everything the chrome's drawing depends on besides input: when it changes, the frame is redrawn."""
        toast = self.nav.toast_text if self.nav.toast_text and self.ctx.clock() < self.nav.toast_until else ""
        countdown = int(self.nav.idle.seconds_left() + 0.999) if self.warning else None
        return (self.nav.screen_name, id(self.nav.screen), self.ctx.i18n.lang, self.groups.banner, toast, countdown)

    def draw(self, surface: pygame.Surface) -> None:
        assets, _ = self.ctx.assets, self.ctx.i18n.gettext
        w, h = surface.get_size()
        label = self.groups.banner if self._visible() else ""
        if self._visible() and self._shows_home():
            self.home.draw(surface, assets.font(30))
        if self._shows_language():
            self._draw_language(surface, with_label=bool(label))
        if self._visible():
            self.ctx.guard("group.overlay", self.group_overlay.draw, surface)
        if label:
            self._draw_group_label(surface, label)
        if self._shows_language():
            self.menu.draw_menu(surface)
        if self.nav.toast_text and self.ctx.clock() < self.nav.toast_until:
            font = assets.font(38, True)
            text = _(self.nav.toast_text)
            box = pygame.Rect(0, 0, font.size(text)[0] + 80, 100)
            box.midbottom = (w // 2, h - 60)
            pygame.draw.rect(surface, THEME.surface_hi, box, border_radius=THEME.radius)
            draw_text(surface, font, text, box.center, THEME.text, "center")
        if self.warning:
            self._draw_warning(surface)

    def _draw_group_label(self, surface: pygame.Surface, label: str) -> None:
        """The school group's label inside the chrome's own top-right box, under the language (or alone with one
        language): the one place no station puts a control."""
        r = self.language.rect
        if not self._shows_language():
            pygame.draw.rect(surface, THEME.surface, r, border_radius=THEME.radius)
        area = pygame.Rect(r.left + 8, r.bottom - 34 if self._shows_language() else r.top, r.width - 16,
                           34 if self._shows_language() else r.height)
        for size in (22, 20, 18):
            font = self.ctx.assets.font(size)
            if font.size(label)[0] <= area.width:
                break
        while font.size(label)[0] > area.width and len(label) > 1:   # a long class label is cut
            label = label[:-2] + "…"
        draw_text(surface, font, label, area.center, THEME.text_muted, "center")

    def _draw_language(self, surface: pygame.Surface, with_label: bool = False) -> None:
        r = self.language.rect
        pygame.draw.rect(surface, THEME.surface, r, border_radius=THEME.radius)
        # With a group's label under it the button's content is lower; the whole box stays the touch target.
        cells = pygame.Rect(r.left, r.top, r.width, r.height - 30) if with_label else r
        self.menu.draw_button(surface, cells.inflate(-8, -8))

    def _draw_warning(self, surface: pygame.Surface) -> None:
        w, h = surface.get_size()
        shade = pygame.Surface((w, h), pygame.SRCALPHA)
        shade.fill((0, 0, 0, 170))
        surface.blit(shade, (0, 0))
        box = pygame.Rect(0, 0, 900, 460)
        box.center = (w // 2, h // 2)
        pygame.draw.rect(surface, THEME.surface, box, border_radius=28)
        left = int(self.nav.idle.seconds_left() + 0.999)
        assets, tr = self.ctx.assets, self.ctx.i18n
        # French and English for anyone near the screen; a visitor in another language reads theirs first.
        second = tr.lang if not tr.lang.startswith("fr") and tr.lang != "en" else "en"
        title, muted = (("fr", "fr"), (second, second)) if second == "en" else ((second, second), ("fr", "fr"))
        draw_text(surface, assets.font(72, True, lang=title[0]), tr.translate_to(title[1], STILL_THERE),
                  (box.centerx, box.top + 90), THEME.accent, "center")
        draw_text(surface, assets.font(44, lang=muted[0]), tr.translate_to(muted[1], STILL_THERE),
                  (box.centerx, box.top + 165), THEME.text_muted, "center")
        draw_text(surface, assets.font(120, True), str(left), (box.centerx, box.top + 285), THEME.text, "center")
        touch = " · ".join(dict.fromkeys(tr.translate_to(lang, TOUCH_TO_CONTINUE) for lang in ("fr", second)))
        font = assets.font(34, lang=second)
        draw_text(surface, font, fit_text(font, touch, box.width - 40), (box.centerx, box.bottom - 50), THEME.text,
                  "center")

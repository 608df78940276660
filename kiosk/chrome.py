"""What the runtime draws over every screen: the home button, the language menu, the « Écouter » button,
the mediator corner, the "Encore là ?" countdown, short messages, and the school-group banner and overlay.

The chrome's row sits inside the reach band (kiosk/access/reach.py): at the top of a landscape screen
whose top is low enough, in the middle of a portrait totem, above the station's own controls."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.access.controls import ON_SCREEN
from kiosk.access.reach import Reach
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


CHROME_MARGIN = 16
LISTEN = N_("Écouter")
LISTEN_HELP = N_("Touche Tab ou flèches : passer d’un bouton à l’autre. Entrée : appuyer. Échap : revenir.")
CALM = N_("Moins d’animations")


def chrome_top(canvas_size: tuple[int, int], reach: Reach | None = None) -> int:
    """The top of the chrome's row: the screen's top where that is within reach (a landscape screen on a
    stand), else the reach band's top (a portrait totem)."""
    if reach is None or canvas_size[1] <= canvas_size[0]:
        return CHROME_MARGIN
    return max(CHROME_MARGIN, reach.band()[0] + 4)


def home_button_rect(canvas_size: tuple[int, int], reach: Reach | None = None) -> pygame.Rect:
    """Where the home button is on every station (stations keep their own controls clear of it)."""
    return pygame.Rect(120, chrome_top(canvas_size, reach), 96, 96)


def language_button_rect(canvas_size: tuple[int, int], reach: Reach | None = None) -> pygame.Rect:
    """Where the language menu's button is (right), with the school group's label under it."""
    return pygame.Rect(canvas_size[0] - 236, chrome_top(canvas_size, reach), 220, 96)


def listen_button_rect(canvas_size: tuple[int, int], reach: Reach | None = None) -> pygame.Rect:
    """« Écouter », left of the language menu: the same place on every screen."""
    return pygame.Rect(canvas_size[0] - 236 - 16 - 96, chrome_top(canvas_size, reach), 96, 96)


SCREEN_EDGE_PX = 30       # the margin the layouts keep above the screen's lower edge


def chrome_row(canvas_size: tuple[int, int], reach: Reach | None = None) -> pygame.Rect:
    """The band the chrome's buttons take, full width: a station keeps its controls out of it."""
    return pygame.Rect(0, chrome_top(canvas_size, reach) - 8, canvas_size[0], 112)


def controls_band(canvas_size: tuple[int, int], reach: Reach) -> tuple[int, int, int] | None:
    """On a screen whose chrome had to come down into the reach band (a portrait totem): (the chrome row's
    top, the top and the bottom of the room for a screen's own controls under it); what is only read
    goes above the chrome. None where the chrome is at the top and the whole layout is within reach.
    Where the reach band runs to the screen's foot, the room stops SCREEN_EDGE_PX short of it, as on
    every other layout: a button flush with the edge is half under the bezel's lip."""
    row = chrome_row(canvas_size, reach)
    if row.top < canvas_size[1] // 3:
        return None
    return row.top, row.bottom + 8, min(reach.band()[1], canvas_size[1] - SCREEN_EDGE_PX)


class Chrome:
    def __init__(self, ctx: RuntimeContext, groups: "GroupManager", group_overlay: "GroupOverlay"):
        self.ctx = ctx
        self.nav = ctx.nav
        self.groups = groups
        self.group_overlay = group_overlay
        self.access = ctx.access
        reach = ctx.access.reach
        self.home = Button(home_button_rect(ctx.canvas_size, reach), on_press=self.nav.go_home,
                           icon=ctx.assets.icon("home", 56, THEME.text), name=N_("Accueil"))
        self.language = Button(language_button_rect(ctx.canvas_size, reach), on_press=self._toggle_menu,
                               name=N_("Langue"))
        band = controls_band(ctx.canvas_size, reach)
        self.menu = LanguageMenu(ctx, self.language.rect, self._choose_language, bottom=band[2] if band else None)
        self._screen_seen = self.nav.screen_name
        self.listen = Button(listen_button_rect(ctx.canvas_size, reach), on_press=self.describe_screen,
                             icon=ctx.assets.icon("volume", 60, THEME.text), name=LISTEN)
        self.calm = Button(pygame.Rect(self.listen.rect.left - 16 - 96, self.listen.rect.top, 96, 96),
                           on_press=self._toggle_motion, icon=ctx.assets.icon("player-pause", 56, THEME.text), name=CALM)
        self._seconds_said = -1
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
        if self._shows_listen() and self.listen.handle_event(ev):
            return True
        if self._shows_calm() and self.calm.handle_event(ev):
            return True
        return self._visible() and self._shows_home() and self.home.handle_event(ev)

    # -- every visitor -------------------------------------------------------------------------------
    def _shows_listen(self) -> bool:
        return self.ctx.config.access.speech and self.nav.screen_name not in NO_CHROME

    def _shows_calm(self) -> bool:
        """The visitor's "less motion" toggle, on the home menu (where a visitor sets how the kiosk is)."""
        return self.nav.screen_name == ScreenName.HOME and not self.ctx.config.access.reduced_motion

    def _toggle_motion(self) -> None:
        self.access.visitor_reduced_motion = not self.access.visitor_reduced_motion
        self.calm.selected = self.access.visitor_reduced_motion
        self.access.say(self._(N_("Animations réduites.") if self.calm.selected else N_("Animations normales.")))

    def _(self, text: str) -> str:
        return self.ctx.i18n.gettext(text)

    def describe_screen(self, pressed: bool = True) -> None:
        """What this screen shows; the keys' help too when « Écouter » is pressed, or the first time."""
        describe = getattr(self.nav.screen, "describe", None)
        text = self.ctx.guard("describe", describe) if callable(describe) else ""
        helping = pressed or not self.access.helped
        self.access.helped = True
        self.access.say(f"{text or ''} {self._(LISTEN_HELP)}" if helping else text or "")

    def _track_corner(self, ev: InputEvent) -> None:
        if ev.kind == DOWN and CORNER.collidepoint(ev.pos):
            self.corner_pointer, self.corner_since = ev.pointer, self.ctx.clock()
        elif ev.pointer == self.corner_pointer and (ev.kind == UP or (ev.kind == MOVE and not CORNER.collidepoint(ev.pos))):
            self.corner_pointer = None

    def update(self, dt: float, warning: bool) -> None:
        if warning and not self.warning:
            self.access.play("warning")
            self.access.announce(self._(N_("Encore là ? Touchez l’écran ou appuyez sur une touche pour continuer.")))
        if warning:
            left = int(self.nav.idle.seconds_left() + 0.999)
            if left != self._seconds_said and left <= 10:
                self.access.play("tick")
            self._seconds_said = left
        else:
            self._seconds_said = -1
        self.calm.selected = self.access.visitor_reduced_motion
        self.listen.selected = self.access.speaking      # shown while it speaks: redrawn when that changes
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
        return (self.nav.screen_name, id(self.nav.screen), self.ctx.i18n.lang, self.groups.banner, toast, countdown,
                self.menu.is_open, self.calm.selected, self.listen.selected, self.access.focus.picture())

    def draw(self, surface: pygame.Surface) -> None:
        assets, _ = self.ctx.assets, self.ctx.i18n.gettext
        w, h = surface.get_size()
        label = self.groups.banner if self._visible() else ""
        if self._visible() and self._shows_home():
            self.home.draw(surface, assets.font(30))
        if self._shows_language():
            self._draw_language(surface, with_label=bool(label))
        if self._shows_listen():
            self.listen.draw(surface, assets.font(26))
        if self._shows_calm():
            self.calm.draw(surface, assets.font(26))
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
        ON_SCREEN.report(r, self.language.name)
        pygame.draw.rect(surface, THEME.surface, r, border_radius=THEME.radius)
        pygame.draw.rect(surface, THEME.outline, r, width=2, border_radius=THEME.radius)
        # With a group's label under it the button's content is lower; the whole box stays the touch target.
        cells = pygame.Rect(r.left, r.top, r.width, r.height - 30) if with_label else r
        self.menu.draw_button(surface, cells.inflate(-8, -8))

    def _draw_warning(self, surface: pygame.Surface) -> None:
        ON_SCREEN.modal()      # the countdown covers the screen: any key or touch answers it
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

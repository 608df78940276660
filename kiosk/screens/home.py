"""The home menu: one large tile per enabled station (icon, title, one-line teaser)."""
from __future__ import annotations

import math

import pygame

from kiosk.access.controls import report_control
from kiosk.context import RuntimeContext
from kiosk.screens.base import Screen
from kiosk.ui import THEME, Button, draw_text, draw_text_block, mirrored

TOP = 150       # below the chrome (language switch, title)
MARGIN = 40


def tile_rects(n: int, canvas: tuple[int, int], bottom_reserve: int) -> list[pygame.Rect]:
    """Tiles in a grid filling the free area; 3 columns in landscape, 2 in portrait."""
    w, h = canvas
    cols = min(n, 3 if w > h else 2) or 1
    rows = math.ceil(n / cols) or 1
    area = pygame.Rect(MARGIN, TOP, w - 2 * MARGIN, h - TOP - bottom_reserve - MARGIN)
    tw = (area.width - (cols - 1) * MARGIN) // cols
    # Tiles stop growing at a comfortable height (taller in portrait, where the screen is tall); the grid
    # then sits in the middle of the free area rather than leaving it all at the bottom.
    th = min((area.height - (rows - 1) * MARGIN) // rows, 420 if w > h else 540)
    top = area.top + max(0, area.height - rows * th - (rows - 1) * MARGIN) // 2
    return [pygame.Rect(area.left + (i % cols) * (tw + MARGIN), top + (i // cols) * (th + MARGIN), tw, th)
            for i in range(n)]


class HomeScreen(Screen):
    def __init__(self, ctx: RuntimeContext):
        super().__init__(ctx)
        self.tiles: list[tuple[str, Button]] = []
        self._cache: pygame.Surface | None = None
        self._cache_state: tuple = ()
        self._layout()

    def _layout(self) -> None:
        ids = self.ctx.stations.menu()
        rects = tile_rects(len(ids), self.ctx.canvas_size, bottom_reserve=self._card_height())
        canvas = pygame.Rect((0, 0), self.ctx.canvas_size)
        rects = [mirrored(r, canvas, self.ctx.i18n.rtl) for r in rects]   # Arabic reads the menu from the right
        self._laid_out_rtl = self.ctx.i18n.rtl
        self.tiles = [(sid, Button(rect, on_press=lambda s=sid: self.ctx.nav.open_station(s),
                                   name=self.ctx.stations.station_class(sid).title)) for sid, rect in zip(ids, rects)]

    def _card_height(self) -> int:
        return 150 if self.ctx.stations.home_cards() else 0

    def enter(self) -> None:
        self._layout()

    def frame_rate(self) -> float:
        """Still but for its live cards (the air card's reading): once a second for them."""
        return 1.0 if self.ctx.stations.home_cards() else 0.0

    def update(self, dt: float) -> None:
        if self._menu_state() != self._cache_state:
            self.invalidate()       # a station paused or back (input and language redraw anyway)

    def _menu_state(self) -> tuple:
        return (self.ctx.i18n.lang, tuple(self.ctx.stations.is_disabled(sid) for sid, _ in self.tiles),
                tuple(button.pressed for _, button in self.tiles))

    def describe(self) -> str:
        tiles = []
        for sid, _button in self.tiles:
            cls = self.ctx.stations.station_class(sid)
            teaser = self._("Revient bientôt !") if self.ctx.stations.is_disabled(sid) else self._(cls.teaser)
            tiles.append(f"{self._(cls.title)} : {teaser}")
        return self._("Choisissez une activité") + ". " + " ".join(tiles)

    def handle_event(self, ev) -> bool:
        return any(button.handle_event(ev) for _, button in self.tiles)

    def _render_menu(self, surface: pygame.Surface) -> None:
        w = surface.get_width()
        surface.fill(THEME.background)
        assets = self.ctx.assets
        title = self._("Choisissez une activité")
        room = w - 250 - (MARGIN + 200)  # between the mediator corner / home button and the language menu
        size = 60
        while size > 36 and assets.font(size, True).size(title)[0] > room:
            size -= 4
        if self.ctx.i18n.rtl:   # right-aligned, left of the language menu
            draw_text(surface, assets.font(size, True), title, (w - 250 - 20, 64), THEME.text, "midright")
        else:
            draw_text(surface, assets.font(size, True), title, (MARGIN + 200, 64), THEME.text, "midleft")
        for sid, button in self.tiles:
            cls = self.ctx.stations.station_class(sid)
            disabled = self.ctx.stations.is_disabled(sid)
            button.enabled = not disabled
            button.draw(surface, assets.font(THEME.font_body))
            icon_size = min(140, button.rect.height // 3)
            # icon, title and up to three lines of teaser, centred in a tall (portrait) tile
            r = button.rect.move(0, max(0, (button.rect.height - icon_size - 270) // 2))
            icon = assets.icon(cls.icon, icon_size, THEME.accent if not disabled else THEME.text_muted)
            surface.blit(icon, icon.get_rect(midtop=(r.centerx, r.top + 28)))
            draw_text(surface, assets.font(52, True), self._(cls.title), (r.centerx, r.top + 48 + icon_size), THEME.text, "midtop")
            teaser = self._("Revient bientôt !") if disabled else self._(cls.teaser)
            draw_text_block(surface, assets.font(32), teaser, pygame.Rect(r.left + 30, r.top + 120 + icon_size, r.width - 60,
                                                                          button.rect.bottom - r.top - 120 - icon_size),
                            THEME.text_muted, align="center")

    def draw(self, surface: pygame.Surface) -> None:
        # The menu only changes with the language, a paused station or a pressed tile: render it once
        # per such state, then blit (text rendering is most of a frame's cost).
        if self._laid_out_rtl != self.ctx.i18n.rtl:
            self._layout()
        state = self._menu_state()
        if self._cache_state != state or self._cache is None or self._cache.get_size() != surface.get_size():
            self._cache = pygame.Surface(surface.get_size())
            self._render_menu(self._cache)
            self._cache_state = state
        surface.blit(self._cache, (0, 0))
        for sid, button in self.tiles:      # drawn once into the cache: reported every frame all the same
            if button.enabled:
                report_control(button.rect, self.ctx.stations.station_class(sid).title)
        w, h = surface.get_size()
        cards = self.ctx.stations.home_cards()
        if cards:
            card_w = min(620, (w - 2 * MARGIN) // len(cards))
            for i, draw_card in enumerate(cards):
                rect = pygame.Rect(MARGIN + i * (card_w + 20), h - 150 - MARGIN // 2, card_w, 140)
                self.ctx.guard("home-card", draw_card, surface, rect)

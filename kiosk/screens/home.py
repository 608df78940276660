"""The home menu: one large tile per enabled station (icon, title, one-line teaser)."""
from __future__ import annotations

import math

import pygame

from kiosk.access.controls import report_control
from kiosk.chrome import chrome_row, controls_band, listen_button_rect
from kiosk.context import RuntimeContext
from kiosk.screens.base import Screen
from kiosk.ui import THEME, Button, Mirror, draw_text, draw_text_block, mirrored, wrap_text

TOP = 150       # below the chrome (language switch, title)
MARGIN = 40


def tile_rects(n: int, canvas: tuple[int, int], bottom_reserve: int, area: pygame.Rect | None = None) -> list[pygame.Rect]:
    """Tiles in a grid filling the free area (or `area`); 3 columns in landscape or in a short band, else 2."""
    w, h = canvas
    if area is None:
        area = pygame.Rect(MARGIN, TOP, w - 2 * MARGIN, h - TOP - bottom_reserve - MARGIN)
    cols = min(n, 3 if w > h or area.height < 700 else 2) or 1
    rows = math.ceil(n / cols) or 1
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
        self.title_rect = pygame.Rect(0, 0, 0, 0)       # where the menu's title was last drawn
        self._layout()

    def _tiles_area(self) -> pygame.Rect | None:
        """On a portrait totem the tiles are in the reach band, under the chrome's row; else the whole page."""
        band = controls_band(self.ctx.canvas_size, self.ctx.access.reach)
        if band is None:
            return None
        card_top = self.ctx.canvas_size[1] - self._card_height() - MARGIN // 2     # the live cards, under the tiles
        bottom = min(band[2], card_top - 16) if self._card_height() else band[2]
        return pygame.Rect(MARGIN // 2, band[1], self.ctx.canvas_size[0] - MARGIN, bottom - band[1])

    def _layout(self) -> None:
        ids = self.ctx.stations.menu()
        rects = tile_rects(len(ids), self.ctx.canvas_size, bottom_reserve=self._card_height(), area=self._tiles_area())
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
            teaser = self._("Revient bientôt !") if self.ctx.stations.is_disabled(sid) else self._(cls.teaser)
            tiles.append(f"{self._(cls.title)} : {teaser}")
        return self._("Choisissez une activité") + ". " + " ".join(tiles)

    def handle_event(self, ev) -> bool:
        return any(button.handle_event(ev) for _, button in self.tiles)

    def _render_menu(self, surface: pygame.Surface) -> None:
        w = surface.get_width()
        surface.fill(THEME.background)
        assets = self.ctx.assets
        title = self._("Choisissez une activité")
        # between the mediator corner / home button and the chrome's top-right row (the calm toggle,
        # « Écouter », the language menu); a portrait totem's top is free
        compact = self._tiles_area() is not None
        left = MARGIN if compact else MARGIN + 200
        right = w - MARGIN if compact else listen_button_rect((w, surface.get_height())).left - 16 - 96 - 24
        size = 60
        while size > 36 and assets.font(size, True).size(title)[0] > right - left:
            size -= 4
        if self.ctx.i18n.rtl:   # from the right, left of the chrome's row
            self.title_rect = draw_text(surface, assets.font(size, True), title, (right, 64), THEME.text, "midright")
        else:
            self.title_rect = draw_text(surface, assets.font(size, True), title, (left, 64), THEME.text, "midleft")
        if compact:
            self._render_teasers(surface)
        for sid, button in self.tiles:
            cls = self.ctx.stations.station_class(sid)
            disabled = self.ctx.stations.is_disabled(sid)
            button.enabled = not disabled
            button.draw(surface, assets.font(THEME.font_body))
            if compact:         # a portrait totem's tiles, within reach: pictogram and title
                self._render_compact_tile(surface, button.rect, cls, disabled)
                continue
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

    def _render_compact_tile(self, surface: pygame.Surface, rect: pygame.Rect, cls, disabled: bool) -> None:
        assets = self.ctx.assets
        icon_size = min(96, rect.height // 2 - 20)
        title = self._(cls.title)
        size = 44
        while size > 26 and assets.font(size, True).size(title)[0] > rect.width - 24:
            size -= 2
        font = assets.font(size, True)
        lines = wrap_text(font, title, rect.width - 24)[:2]
        block = icon_size + 12 + len(lines) * font.get_linesize()
        top = rect.centery - block // 2
        icon = assets.icon(cls.icon, icon_size, THEME.accent if not disabled else THEME.text_muted)
        surface.blit(icon, icon.get_rect(midtop=(rect.centerx, top)))
        for k, line in enumerate(lines):
            draw_text(surface, font, line, (rect.centerx, top + icon_size + 12 + k * font.get_linesize()), THEME.text, "midtop")

    def _render_teasers(self, surface: pygame.Surface) -> None:
        """Above the reach band of a portrait totem: each activity's question, read standing or seated."""
        assets = self.ctx.assets
        w = surface.get_width()
        chrome = chrome_row(self.ctx.canvas_size, self.ctx.access.reach)
        top = 140
        step = max(110, min(170, (chrome.top - 40 - top) // max(1, len(self.tiles))))
        page = Mirror(surface.get_rect(), self.ctx.i18n.rtl)       # from the right in Arabic
        for k, (sid, _button) in enumerate(self.tiles):
            cls = self.ctx.stations.station_class(sid)
            y = top + k * step
            icon = assets.icon(cls.icon, 64, THEME.accent)
            page.blit(surface, icon, icon.get_rect(topleft=(MARGIN, y + 4)))
            page.text(surface, assets.font(40, True), self._(cls.title), (MARGIN + 90, y), THEME.text)
            teaser = self._("Revient bientôt !") if self.ctx.stations.is_disabled(sid) else self._(cls.teaser)
            draw_text_block(surface, assets.font(30), teaser, page.rect((MARGIN + 90, y + 50, w - 2 * MARGIN - 90, step - 56)),
                            THEME.text_muted, line_spacing=1.1)

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
                rect = mirrored((MARGIN + i * (card_w + 20), h - 150 - MARGIN // 2, card_w, 140), surface.get_rect(),
                                self.ctx.i18n.rtl)
                self.ctx.guard("home-card", draw_card, surface, rect)

"""Drawing of « Au programme »: the next event highlighted with its QR code, the following ones as
cards (tap one to see its QR code), and the tour calendar across the eight départements."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.ui import THEME, Mirror, draw_text, draw_text_block, forward_icon, wrap_text
from stations.agenda.dates import range_label, when_label
from stations.agenda.model import KIND_LABELS, AgendaEvent, is_ongoing
from kiosk.content import localise
from kiosk.ui.qr import qr_surface
from kiosk.access.reach import Reach
from kiosk.chrome import controls_band, listen_button_rect
from stations.common.taps import TapZones
from stations.common.widgets import draw_button

if TYPE_CHECKING:  # pragma: no cover
    from stations.agenda.station import AgendaStation

LIST_ROWS = 5
TOTEM_LIST_ROWS = 2      # a portrait totem: what fits within reach under the tabs, with the page buttons


class AgendaView:
    def __init__(self, station: "AgendaStation"):
        self.st = station
        self.ctx = station.ctx
        self.zones = TapZones()
        self.qr_rects: dict[str, pygame.Rect] = {}    # event id -> where its QR code was drawn
        self.band = controls_band(self.ctx.canvas_size, Reach.of(self.ctx.kiosk))
        self.rows_per_page = TOTEM_LIST_ROWS if self.band else LIST_ROWS

    def nav(self, surface, key, rect, label, icon, action, mirror: Mirror | None = None, **kw) -> None:
        """A button; with `mirror`, laid out left to right inside the mirror's box and reflected in Arabic
        (its arrow pointing the reading way)."""
        if mirror is not None:
            rect, icon = mirror.rect(rect), forward_icon(icon, mirror.rtl)
        if kw.get("enabled", True):
            self.zones.add(key, rect, action, name=label or kw.pop("name", key))
        kw.pop("name", None)
        draw_button(surface, rect, self.ctx.assets, label, icon, pressed=self.zones.pressed_key() == key, **kw)

    def draw(self, surface) -> None:
        _ = self.ctx._
        surface.fill(THEME.background)
        self.zones.clear()
        self.qr_rects = {}
        w, h = self.ctx.canvas_size
        # The runtime's chrome owns the top corners (home + mediator corner left, FR/EN right), unless it
        # came down within reach (a portrait totem): then the title starts from the edge, the right in Arabic.
        title_font = self.ctx.assets.font(THEME.font_title, bold=True)
        if self.band is None:
            draw_text(surface, title_font, _("Au programme"), (250, 30), THEME.text)
        else:
            Mirror(surface.get_rect(), self.ctx.i18n.rtl).text(surface, title_font, _("Au programme"), (40, 30), THEME.text)
        tab_w = 320
        # between the title and « Écouter »; portrait: under the title row. « Ici » first (on the right in Arabic).
        right = listen_button_rect((w, h)).left - 16
        tabs = pygame.Rect(right - 2 * tab_w - 20, 16, 2 * tab_w + 20, 100) if w > h else \
            pygame.Rect(w // 2 - tab_w - 10, self.band[1] if self.band else 130, 2 * tab_w + 20, 100)
        for i, (tab, label, icon) in enumerate((("here", _("Ici"), "map-pin"), ("tour", _("La tournée"), "map-2"))):
            rect = pygame.Rect(tabs.left + i * (tab_w + 20), tabs.top, tab_w, 100)
            self.nav(surface, "tab:" + tab, rect, label, icon, lambda t=tab: self.st.set_tab(t),
                     Mirror(tabs, self.ctx.i18n.rtl), primary=self.st.tab == tab)
        if self.st.detail is not None:
            self._detail(surface, self.st.detail)
        elif self.st.tab == "here":
            self._here(surface)
        else:
            self._tour(surface)

    # -- the venue's programme -------------------------------------------------------------------
    def _here(self, surface) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        events = self.st.upcoming
        if not events:
            draw_text(surface, self.ctx.assets.font(THEME.font_title - 8), _("Pas d’autre rendez-vous prévu ici pour l’instant."),
                      (w // 2, h // 2 - 60), THEME.text_muted, "center")
            self.nav(surface, "to-tour", (w // 2 - 300, h // 2 + 20, 600, 100), _("Voir la tournée"), "map-2",
                     lambda: self.st.set_tab("tour"), primary=True)
            return
        portrait = h > w
        first = events[0]
        page_mirror = Mirror(pygame.Rect(0, 0, w, h), self.ctx.i18n.rtl)     # the next event on the right in Arabic
        laid_out = pygame.Rect(40, 260, w - 80, 760) if portrait else pygame.Rect(40, 160, 1000, h - 200)
        big = page_mirror.rect(laid_out)
        if self.band:
            laid_out = pygame.Rect(40, 130, w - 80, self.band[0] - 150)
            big = page_mirror.rect(laid_out)
        label = _("En ce moment") if is_ongoing(first, self.st.now_local) else _("Prochain rendez-vous")
        self._event_card(surface, big, first, label, qr_size=300)
        rest = events[1:]
        if not rest:
            return
        area = pygame.Rect(40, big.bottom + 30, w - 80, h - big.bottom - 70) if portrait else \
            page_mirror.rect(pygame.Rect(laid_out.right + 40, 160, w - laid_out.right - 80, h - 200))
        if self.band:     # a totem: the next events under the tabs, within reach (rows start 56 px down)
            area = pygame.Rect(40, self.band[1] + 54, w - 80, self.band[2] - self.band[1] - 54)
        rows = self.rows_per_page
        in_area = Mirror(area, self.ctx.i18n.rtl)
        if not self.band:
            in_area.text(surface, self.ctx.assets.font(THEME.font_body, bold=True), _("Ensuite"), area.topleft, THEME.text_muted)
        page = self.st.list_page
        shown = rest[page * rows:(page + 1) * rows]
        pages = -(-len(rest) // rows)
        room = area.height - 56 - (120 if pages > 1 else 0)      # title above, page buttons below
        row_h = min(140, (room - 14 * (rows - 1)) // rows)
        for i, ev in enumerate(shown):
            rect = pygame.Rect(area.left, area.top + 56 + i * (row_h + 14), area.width, row_h)
            key = "event:" + ev.id
            self.zones.add(key, rect, lambda e=ev: self.st.open_detail(e), name=localise(ev.title, self.ctx.i18n.lang))
            self._event_row(surface, rect, ev, self.zones.pressed_key() == key)
        if pages > 1:
            y = area.bottom - 100
            self.nav(surface, "prev", (area.left, y, 260, 100), "", "arrow-left", self.st.prev_page, in_area,
                     enabled=page > 0, name=_("Précédents"))
            draw_text(surface, self.ctx.assets.font(THEME.font_body), f"{page + 1} / {pages}", (area.centerx, y + 50),
                      THEME.text_muted, "center")
            self.nav(surface, "more", (area.right - 260, y, 260, 100), "", "arrow-right", self.st.next_page,
                     in_area, enabled=page + 1 < pages, name=_("Suivants"))

    def _event_row(self, surface, rect, ev: AgendaEvent, pressed: bool) -> None:
        lang = self.ctx.i18n.lang
        pygame.draw.rect(surface, THEME.surface_hi if pressed else THEME.surface, rect, border_radius=THEME.radius)
        row = Mirror(rect, self.ctx.i18n.rtl)        # pictogram, lines, QR sign: from the right in Arabic
        icon = self.ctx.assets.icon(ev.icon, min(72, rect.height - 40), THEME.accent)
        row.blit(surface, icon, icon.get_rect(midleft=(rect.left + 24, rect.centery)))
        x = rect.left + 120
        width = rect.width - 120 - 90
        bold = self.ctx.assets.font(THEME.font_body - 4, bold=True)
        small = self.ctx.assets.font(THEME.font_small)
        title = wrap_text(bold, localise(ev.title, lang), width)
        row.text(surface, small, when_label(ev.start, ev.end, lang), (x, rect.top + 10), THEME.accent)
        row.text(surface, bold, title[0] + ("…" if len(title) > 1 else ""), (x, rect.top + 44), THEME.text)
        if rect.height >= 120:
            row.text(surface, small, localise(ev.audience, lang), (x, rect.top + 86), THEME.text_muted)
        qr = self.ctx.assets.icon("qrcode", 56, THEME.text_muted)
        row.blit(surface, qr, qr.get_rect(midright=(rect.right - 20, rect.centery)))

    def _event_card(self, surface, rect, ev: AgendaEvent, label: str, qr_size: int) -> None:
        _ = self.ctx._
        lang = self.ctx.i18n.lang
        pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
        pygame.draw.rect(surface, THEME.accent, rect, width=5, border_radius=THEME.radius)
        card = Mirror(rect, self.ctx.i18n.rtl)       # laid out from the left, drawn from the right in Arabic
        tag_font = self.ctx.assets.font(THEME.font_small, bold=True)
        tag = tag_font.render(label.upper(), True, THEME.on_accent)
        tag_rect = tag.get_rect(topleft=(rect.left + 30, rect.top + 24)).inflate(24, 12)
        tag_rect.topleft = (rect.left + 30, rect.top + 24)
        pygame.draw.rect(surface, THEME.accent, card.rect(tag_rect), border_radius=10)
        surface.blit(tag, tag.get_rect(center=card.rect(tag_rect).center))
        icon = self.ctx.assets.icon(ev.icon, 44, THEME.accent)
        card.blit(surface, icon, icon.get_rect(topleft=(tag_rect.right + 24, tag_rect.centery - 22)))
        card.text(surface, self.ctx.assets.font(THEME.font_body, bold=True), _(KIND_LABELS[ev.kind]),
                  (tag_rect.right + 80, tag_rect.centery), THEME.accent, "midleft")
        inner_w = rect.width - 60
        y = tag_rect.bottom + 24
        title_font = self.ctx.assets.font(THEME.font_title - 8, bold=True)
        for line in wrap_text(title_font, localise(ev.title, lang), inner_w)[:3]:
            card.text(surface, title_font, line, (rect.left + 30, y), THEME.text)
            y += title_font.get_linesize()
        y += 14
        body = self.ctx.assets.font(THEME.font_body)
        qr_rect = pygame.Rect(rect.right - 30 - qr_size, rect.bottom - 30 - qr_size, qr_size, qr_size)
        for icon_name, text in (("calendar-event", when_label(ev.start, ev.end, lang)), ("map-pin", localise(ev.place, lang)),
                                ("users", localise(ev.audience, lang))):
            img = self.ctx.assets.icon(icon_name, 40, THEME.text_muted)
            card.blit(surface, img, img.get_rect(topleft=(rect.left + 30, y + 2)))
            for line in wrap_text(body, text, inner_w - 60)[:2]:
                card.text(surface, body, line, (rect.left + 86, y), THEME.text)
                y += body.get_linesize()
            y += 8
        if ev.description:
            small = self.ctx.assets.font(THEME.font_small + 2)
            width = inner_w - (qr_size + 30 if y + 3 * small.get_linesize() > qr_rect.top else 0)
            for line in wrap_text(small, localise(ev.description, lang), width)[:4]:
                card.text(surface, small, line, (rect.left + 30, y + 6), THEME.text_muted)
                y += small.get_linesize()
        img = qr_surface(ev.qr_url(self.ctx.kiosk.public_url), qr_size)
        spot = img.get_rect(bottomright=qr_rect.bottomright)
        hint = self.ctx.assets.font(THEME.font_small)
        card.text(surface, hint, _("Toutes les infos :"), (spot.left - 24, spot.centery - 20), THEME.text_muted, "midright")
        card.text(surface, hint, _("scannez le code"), (spot.left - 24, spot.centery + 20), THEME.text_muted, "midright")
        spot = card.rect(spot)
        pygame.draw.rect(surface, (255, 255, 255), spot.inflate(12, 12), border_radius=8)
        surface.blit(img, spot)
        self.qr_rects[ev.id] = spot

    def _detail(self, surface, ev: AgendaEvent) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        if self.band:     # a totem: what is read above the chrome row, the tabs and « Fermer » under it
            rect = pygame.Rect(40, 130, w - 80, self.band[0] - 150)
        elif w > h:
            rect = pygame.Rect(160, 160, w - 320, h - 320)
        else:             # portrait: under the tabs (they sit below the title there), the full width
            rect = pygame.Rect(40, 250, w - 80, h - 250 - 150)
        self._event_card(surface, rect, ev, _("En ce moment") if is_ongoing(ev, self.st.now_local) else _("À venir"),
                         qr_size=380)
        close_y = self.band[1] + 110 if self.band else h - 130
        self.nav(surface, "close", (w // 2 - 200, close_y, 400, 100), _("Fermer"), "x", self.st.close_detail)

    # -- the tour -------------------------------------------------------------------------------
    def _tour(self, surface) -> None:
        _ = self.ctx._
        lang = self.ctx.i18n.lang
        w, h = self.ctx.canvas_size
        stops = self.st.stops
        top = 136 if w > h else 250
        draw_text_block(surface, self.ctx.assets.font(THEME.font_body),
                        _("L’exposition voyage dans les huit départements d’Île-de-France."),
                        pygame.Rect(40, top, w - 80, 100), THEME.text_muted)
        if not stops:
            draw_text(surface, self.ctx.assets.font(THEME.font_title - 8), _("La tournée est terminée. Merci !"),
                      (w // 2, h // 2), THEME.text_muted, "center")
            return
        columns = 4 if w > h else 2
        rows = -(-len(stops) // columns)
        gap = 24
        cw = (w - 80 - gap * (columns - 1)) // columns
        grid_top = 200 if w > h else 360
        bottom = self.band[0] - 20 if self.band else h - 20
        ch = min(400, (bottom - grid_top - gap * (rows - 1)) // rows)
        today = self.st.now_local.date()
        page = Mirror(pygame.Rect(0, 0, w, h), self.ctx.i18n.rtl)     # the tour's order from the right in Arabic
        for i, stop in enumerate(stops):
            rect = page.rect((40 + (i % columns) * (cw + gap), grid_top + (i // columns) * (ch + gap), cw, ch))
            card = Mirror(rect, page.rtl)
            current = stop.start <= today <= stop.end
            pygame.draw.rect(surface, THEME.surface_hi if current else THEME.surface, rect, border_radius=THEME.radius)
            if current:
                pygame.draw.rect(surface, THEME.accent, rect, width=5, border_radius=THEME.radius)
            color = THEME.accent if current else THEME.text
            badge = pygame.Rect(rect.left + 24, rect.top + 24, 110, 110)
            pygame.draw.rect(surface, color, card.rect(badge), width=5, border_radius=26)
            draw_text(surface, self.ctx.assets.font(72, bold=True), stop.departement, card.rect(badge).center, color, "center")
            room = rect.right - badge.right - 36
            name_font = next((self.ctx.assets.font(size, bold=True) for size in (THEME.font_body, 30, 26)
                              if self.ctx.assets.font(size, bold=True).size(stop.departement_name)[0] <= room),
                             self.ctx.assets.font(24, bold=True))
            card.text(surface, name_font, stop.departement_name, (badge.right + 20, badge.top + 8), color)
            if current or stop.here:
                tag_text = _("Ici, en ce moment") if (current and stop.here) else (_("En ce moment") if current else _("Ici"))
                card.text(surface, self.ctx.assets.font(THEME.font_small, bold=True), tag_text,
                          (badge.right + 20, badge.top + 60), THEME.accent)
            y = badge.bottom + 20
            small = self.ctx.assets.font(THEME.font_small)
            for text, font, col in ((range_label(stop.start, stop.end, lang), self.ctx.assets.font(THEME.font_small, bold=True), THEME.text),
                                    (f"{stop.venue}, {stop.city}", small, THEME.text),
                                    (stop.operator, small, THEME.text_muted)):
                for line in wrap_text(font, text, rect.width - 48)[:3]:
                    if y + font.get_linesize() > rect.bottom - 10:
                        break
                    card.text(surface, font, line, (rect.left + 24, y), col)
                    y += font.get_linesize()
                y += 6

"""Drawing of « Mes mobilités »: question screens, « Vous et les autres » charts and the QR card.

The view draws what the station's state says and registers a tap zone for everything tappable;
the station owns the state and the recording."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.access.reach import Reach
from kiosk.chrome import controls_band
from kiosk.ui import THEME, draw_text, draw_text_block, mirrored, wrap_text
from stations.common.chart import ChartColumn, ChartRow, draw_answer_chart
from kiosk.content import localise
from stations.common.taps import TapZones
from stations.common.widgets import (draw_contribution_card, draw_nav_button, draw_progress_dots, draw_tile,
                                     grid_rects)
from stations.survey.model import Question
from stations.survey.stacked_chart import StackedLayout, draw_stacked_chart
from stations.survey.tally import Tally, hub_tally, reading_sentence

if TYPE_CHECKING:  # pragma: no cover
    from stations.survey.station import SurveyStation

TOP_BAR_H = 130
NAV_W, NAV_H = 300, 100
# The runtime's chrome owns the top corners (mediator corner + home button on the left, FR/EN on the
# right): this station's navigation lives at the bottom, where thumbs are anyway.


class SurveyView:
    def __init__(self, station: "SurveyStation"):
        self.st = station
        self.ctx = station.ctx
        self.zones = TapZones()
        self.qr_rect: pygame.Rect | None = None
        self.last_chart_rows: list[ChartRow] = []     # what the last results screen showed (tests)
        self.last_chart_columns = 0
        self.last_stacked: StackedLayout | None = None  # the portrait chart's layout, when it was drawn
        self.last_readings_bottom = 0                   # where the sentences under the chart end
        self.last_readings: list[str] = []              # the sentences themselves (spoken by « Écouter »)

    @property
    def size(self) -> tuple[int, int]:
        return self.ctx.canvas_size

    def _band(self) -> tuple[int, int, int] | None:
        """On a portrait totem: (chrome's top, controls' top, controls' bottom), the controls within reach
        under the chrome's row, what is read above it; None on a landscape screen (all within reach)."""
        return controls_band(self.size, Reach.of(self.ctx.kiosk))

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(THEME.background)
        self.zones.clear()
        phase = self.st.phase
        if phase == "question":
            self._question(surface)
        elif phase == "results":
            self._results(surface)
        else:
            self._thanks(surface)

    # -- pieces ------------------------------------------------------------------------------
    def _nav(self, surface, key: str, rect, label: str, icon: str, action, **kw) -> None:
        draw_nav_button(surface, self.zones, self.ctx, key, rect, label, icon, action, **kw)

    def _title(self, surface, text: str) -> None:
        w, _ = self.size
        draw_text(surface, self.ctx.assets.font(THEME.font_body, bold=True), text, (w // 2, 24), THEME.text_muted, "midtop")

    # -- one question per screen ---------------------------------------------------------------
    def _question(self, surface) -> None:
        _ = self.ctx._
        lang = self.ctx.i18n.lang
        flow = self.st.flow
        q: Question = flow.current
        w, h = self.size
        self._title(surface, _("Mes mobilités"))
        progress = flow.progress()
        draw_progress_dots(surface, (w // 2, 92), progress[::-1] if self.ctx.i18n.rtl else progress)
        band = self._band()
        bottom_y = band[2] - NAV_H if band else h - NAV_H - 30
        if flow.index > 0:
            self._nav(surface, "back", (30, bottom_y, NAV_W, NAV_H), _("Retour"), "arrow-left", self.st.back)
        if q.skippable:
            skip_x = w - 30 - NAV_W - (NAV_W + 60 + 30 if q.multiple else 0)
            self._nav(surface, "skip", (skip_x, bottom_y, NAV_W, NAV_H), _("Passer"), "player-skip-forward",
                      self.st.skip, icon_right=True)
        title_font = self.ctx.assets.font(THEME.font_title, bold=True)
        used = draw_text_block(surface, title_font, localise(q.text, lang),
                               pygame.Rect(100, TOP_BAR_H + 30, w - 200, 200), align="center")
        y = TOP_BAR_H + 30 + used
        hint = _("Plusieurs réponses possibles, puis « Valider »") if q.multiple else _("Touchez votre réponse")
        draw_text(surface, self.ctx.assets.font(THEME.font_body), hint, (w // 2, y + 6),
                  THEME.accent if q.multiple else THEME.text_muted, "midtop")
        y += 50
        bottom = bottom_y - 20
        columns = 5 if w > h else 3
        area = pygame.Rect(60, y + 20, w - 120, bottom - y - 30) if band is None else \
            pygame.Rect(40, band[1], w - 80, bottom_y - 16 - band[1])
        selected = flow.selected(q)
        rects = [mirrored(r, area, self.ctx.i18n.rtl) for r in grid_rects(area, len(q.choices), columns)]
        for choice, rect in zip(q.choices, rects):
            key = "choice:" + choice.id
            name = localise(choice.label, lang) + (" : " + _("choisi") if choice.id in selected else "")
            self.zones.add(key, rect, lambda cid=choice.id: self.st.choose(cid), name=name)
            draw_tile(surface, rect, self.ctx.assets, localise(choice.label, lang), icon=choice.icon,
                      badge=choice.badge, selected=choice.id in selected,
                      pressed=self.zones.pressed_key() == key, check_mark=q.multiple)
        if q.multiple:
            self._nav(surface, "confirm", (w - 30 - 360, bottom_y, 360, NAV_H), _("Valider"), "check",
                      self.st.confirm, primary=True, enabled=bool(flow.pending))

    # -- you and the others ----------------------------------------------------------------------
    def _results(self, surface) -> None:
        _ = self.ctx._
        lang = self.ctx.i18n.lang
        w, h = self.size
        pages = self.st.result_questions
        page = self.st.result_page
        self._title(surface, _("Vous et les autres"))
        dots = ["answered" if i < page else "current" if i == page else "todo" for i in range(len(pages))]
        draw_progress_dots(surface, (w // 2, 92), dots[::-1] if self.ctx.i18n.rtl else dots)
        band = self._band()
        nav_y = band[2] - NAV_H if band else h - NAV_H - 30
        self._nav(surface, "back", (30, nav_y, NAV_W, NAV_H), _("Retour"), "arrow-left", self.st.back)
        self._nav(surface, "next", (w - 30 - NAV_W, nav_y, NAV_W, NAV_H), _("Suivant"), "arrow-right",
                  self.st.next_page, primary=True, icon_right=True)
        q = pages[page]
        portrait = h > w     # the navigation is at the bottom: in portrait the title may use the full width
        title_rect = pygame.Rect(80, TOP_BAR_H, w - 160, 140) if portrait else \
            pygame.Rect(NAV_W + 60, TOP_BAR_H, w - 2 * NAV_W - 120, 140)
        used = draw_text_block(surface, self.ctx.assets.font(THEME.font_title - 12, bold=True), localise(q.text, lang),
                               title_rect, align="center")
        snap = self.st.snapshot
        if snap is None:
            draw_text(surface, self.ctx.assets.font(THEME.font_body), _("Calcul en cours…"), (w // 2, h // 2),
                      THEME.text_muted, "center")
            return
        mine = self.st.flow.answers.get(q.id, ())
        icon_size = 52
        rows = [ChartRow(localise(c.label, lang), self.ctx.assets.icon(c.icon, icon_size) if c.icon else
                         _badge_surface(self.ctx.assets, c.badge, icon_size), c.id in mine) for c in q.choices]
        today, opened = snap["today"].get(q.id, Tally()), snap["opened"].get(q.id, Tally())
        columns = [
            ChartColumn(_("Aujourd’hui"), [today.fraction(c.id) for c in q.choices], today.respondents,
                        self._answers_label(today.respondents)),
            ChartColumn(_("Depuis l’ouverture"), [opened.fraction(c.id) for c in q.choices], opened.respondents,
                        self._answers_label(opened.respondents)),
        ]
        hub = hub_tally(snap["hub"], q.id)
        if hub is not None:
            venues = snap["hub"].get("venues")
            label = (self.ctx.i18n.ngettext("{n} lieu", "{n} lieux", venues).format(n=venues)
                     if isinstance(venues, int) else self._answers_label(hub.respondents))
            columns.append(ChartColumn(_("Toute l’exposition"), [hub.fraction(c.id) for c in q.choices],
                                       hub.respondents, label))
        self.last_chart_rows, self.last_chart_columns = rows, len(columns)
        chart_top = TOP_BAR_H + used + 20
        readings = [(line, self.ctx.assets.font(size, bold=size > THEME.font_body), color)
                    for line, size, color in self._readings(q, mine, today, opened, hub)]
        self.last_readings = [line for line, _font, _color in readings]
        # The sentences under the chart are measured first: the chart takes what is left above the buttons.
        readings_h = 16 + sum(len(wrap_text(font, line, w - 160)) * round(font.get_linesize() * 1.2) + 6
                              for line, font, _color in readings)
        chart_limit = band[0] - 10 if band else h - NAV_H - 50 - readings_h
        if portrait:   # each choice on two lines: label, then the periods' bars side by side
            chart_bottom = min(chart_limit, chart_top + 130 + 116 * len(rows))
            self.last_stacked = draw_stacked_chart(surface, pygame.Rect(60, chart_top, w - 120, chart_bottom - chart_top),
                                                   rows, columns, self.ctx.assets, _("vous"), lang, self.ctx.i18n.rtl)
            chart_bottom = chart_top + self.last_stacked.height
        else:
            # As tall as the rows need (92 px each at most), leaving room for the sentences above the buttons.
            chart_bottom = min(chart_limit, chart_top + 84 + 92 * len(rows))
            draw_answer_chart(surface, pygame.Rect(60, chart_top, w - 120, chart_bottom - chart_top), rows,
                              columns, self.ctx.assets, _("vous"), lang, self.ctx.i18n.rtl)
            self.last_stacked = None
        y = band[1] if band else chart_bottom + 16     # a totem: the sentences in the band, by the buttons
        for line, font, color in readings:
            used = draw_text_block(surface, font, line, pygame.Rect(80, y, w - 160, 120), color)
            y += used + 6
        self.last_readings_bottom = y

    def _answers_label(self, n: int) -> str:
        return self.ctx.i18n.ngettext("{n} réponse", "{n} réponses", n).format(n=n)

    def _readings(self, q: Question, mine, today: Tally, opened: Tally, hub: Tally | None = None):
        _ = self.ctx._
        lang = self.ctx.i18n.lang
        if not mine:
            return [(_("Vous n’avez pas répondu à cette question."), THEME.font_body, THEME.text_muted)]
        # The visitor's choice most people share today is the most telling sentence.
        choice = max((q.choice(c) for c in mine), key=lambda c: today.counts[c.id])
        generic = _("{pct} % des visiteurs {period} ont répondu « {choice} », comme vous.")
        if today.respondents <= 1:
            first = (_("Vous êtes la première réponse aujourd’hui !"), THEME.font_body + 4, THEME.accent)
        else:
            first = (reading_sentence(q, choice, today, _("aujourd’hui"), lang, generic), THEME.font_body + 4,
                     THEME.accent)
        lines = [first]
        if opened.respondents > today.respondents:
            lines.append((reading_sentence(q, choice, opened, _("depuis l’ouverture"), lang, generic),
                          THEME.font_small, THEME.text_muted))
        if hub is not None:
            lines.append((reading_sentence(q, choice, hub, _("de toute l’exposition"), lang, generic),
                          THEME.font_small, THEME.text_muted))
        return lines

    # -- thanks and QR -----------------------------------------------------------------------------
    def _thanks(self, surface) -> None:
        _ = self.ctx._
        w, h = self.size
        self._title(surface, _("Mes mobilités"))
        draw_text(surface, self.ctx.assets.font(THEME.font_huge, bold=True), _("Merci !"), (w // 2, 90), THEME.accent,
                  "midtop")
        band = self._band()
        self._nav(surface, "restart", (w // 2 - 220, band[2] - NAV_H if band else h - NAV_H - 40, 440, NAV_H),
                  _("Recommencer"), "refresh", self.st.restart)
        if self.st.code is None:
            draw_text_block(surface, self.ctx.assets.font(THEME.font_body + 4),
                            _("Vous n’avez répondu à aucune question. Vous pouvez recommencer quand vous voulez."),
                            pygame.Rect(200, 300, w - 400, 300), align="center")
            self.qr_rect = None
            return
        draw_text(surface, self.ctx.assets.font(THEME.font_body + 4),
                  _("Vos réponses rejoignent celles des autres visiteurs."), (w // 2, 220), THEME.text, "midtop")
        card = pygame.Rect(0, 0, min(1300, w - 80), min(560, h - 480) if w > h else
                           (band[0] - 310 if band else 1000))
        card.midtop = (w // 2, 300)
        self.qr_rect = draw_contribution_card(
            surface, card, self.ctx.assets, self.st.url, self.st.code,
            _("Scannez pour retrouver vos réponses sur le site de l’exposition."),
            _("Pas de téléphone ? Notez votre code :"), rtl=self.ctx.i18n.rtl)


_BADGES: dict[tuple[str, int], pygame.Surface] = {}


def _badge_surface(assets, badge: str | None, size: int) -> pygame.Surface | None:
    """A département number drawn as a small pictogram (cached: drawn every frame of the chart)."""
    if not badge:
        return None
    if (badge, size) in _BADGES:
        return _BADGES[(badge, size)]
    surf = pygame.Surface((size, size), pygame.SRCALPHA)
    pygame.draw.rect(surf, THEME.text, surf.get_rect(), width=3, border_radius=size // 4)
    draw_text(surf, assets.font(int(size * 0.55), bold=True), badge, (size // 2, size // 2), THEME.text, "center")
    _BADGES[(badge, size)] = surf
    return surf

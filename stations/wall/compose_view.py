"""The composing screen: the chosen question, « Écrire » / « Dessiner » tabs, the on-screen keyboard
or the drawing paper with its tools, the privacy reminder and « Envoyer »."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk.access.reach import Reach
from kiosk.chrome import controls_band, listen_button_rect
from kiosk.ui import THEME, draw_text, draw_text_line_in, mirrored, wrap_text
from kiosk.content import localise
from kiosk.i18n import N_
from kiosk.ui.text import LTR, RTL, paragraph_direction
from kiosk.ui.keyboard import KeyboardView
from stations.common.widgets import draw_reminder
from stations.wall.drawing import ERASER
from stations.wall.view import NAV_H, NAV_W

if TYPE_CHECKING:  # pragma: no cover
    from stations.wall.station import WallStation
    from stations.wall.view import WallView


# Landscape: the question between the chrome's corners, then one row [Retour] [Écrire|Dessiner] [Envoyer].
# Portrait: the question under the chrome, then [Retour] [Envoyer], then the tabs.
LANDSCAPE = {"question_y": 16, "question_lines": 2, "nav_y": 125, "tabs_y": 125, "content_top": 250}
PORTRAIT = {"question_y": 125, "question_lines": 3, "nav_y": 275, "tabs_y": 390, "content_top": 510}
# A portrait totem: the question and what is written (or drawn) above the chrome, one row [Retour] [Écrire]
# [Dessiner] [Envoyer] under it and the keyboard (or the drawing tools) below, all within reach.
TOTEM_CONTENT_TOP = 170
TOTEM_KEY_ROW = 76         # px: five rows of keys fit the band (4.8 cm on a 55" totem, fingers are 1-2 cm)
# What speech says of the drawing tools: the inks in the order of Drawing.palette, then the tools
INK_NAMES = (N_("Encre noire"), N_("Encre rouge"), N_("Encre bleue"), N_("Encre verte"), N_("Encre jaune"))
TOOL_NAMES = {"eraser": N_("Gomme"), "undo": N_("Défaire le dernier trait"), "clear": N_("Tout effacer")}


def layout(canvas_size: tuple[int, int]) -> dict[str, int]:
    w, h = canvas_size
    return PORTRAIT if h > w else LANDSCAPE


def paper_area(canvas_size: tuple[int, int], band: tuple[int, int, int] | None = None) -> pygame.Rect:
    """Where the drawing paper goes; the drawing is made this size so it is shown at scale 1. On a portrait
    totem (`band`, kiosk.chrome.controls_band) the paper is above the chrome, its tools within reach."""
    w, h = canvas_size
    if band is not None:
        return pygame.Rect(40, TOTEM_CONTENT_TOP, w - 80, band[0] - 70 - TOTEM_CONTENT_TOP)
    top = layout(canvas_size)["content_top"] + 10
    if h > w:   # portrait: one row of tools under the paper
        return pygame.Rect(40, top, w - 80, min(900, h - top - 90 - 200))
    return pygame.Rect(40, top, min(1400, w - 80 - 300), min(720, h - top - 80))


class ComposeView:
    def __init__(self, station: "WallStation", wall_view: "WallView"):
        self.st = station
        self.ctx = station.ctx
        self.wv = wall_view
        w, h = self.ctx.canvas_size
        portrait = h > w
        self.band = controls_band(self.ctx.canvas_size, Reach.of(self.ctx.kiosk))
        if self.band is not None:
            top = self.band[1] + NAV_H + 8
            self.keyboard_rect = pygame.Rect(8, top, w - 16, self.band[2] - top)
        else:
            self.keyboard_rect = pygame.Rect(40, h - 560, w - 80, 540) if not portrait else pygame.Rect(8, h - 640, w - 16, 610)
        self.keyboard = KeyboardView(station.keys, self.keyboard_rect, self.ctx.assets,
                                     min_row=TOTEM_KEY_ROW if self.band else THEME.min_touch)
        d = station.drawing
        avail = paper_area(self.ctx.canvas_size, self.band)
        self.scale = min(avail.width / d.width, avail.height / d.height)
        self.paper_rect = pygame.Rect(avail.left, avail.top, round(d.width * self.scale), round(d.height * self.scale))

    def to_paper(self, pos) -> tuple[float, float]:
        return ((pos[0] - self.paper_rect.left) / self.scale, (pos[1] - self.paper_rect.top) / self.scale)

    def draw(self, surface) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        st = self.st
        lay = layout(self.ctx.canvas_size)
        nav_y, tab_y = lay["nav_y"], lay["tabs_y"]
        if self.band is not None:
            self._totem_row(surface)
        else:
            self.wv.nav(surface, "back", (30, nav_y, NAV_W - 40, NAV_H), _("Retour"), "arrow-left", st.back_to_pick)
            self.wv.nav(surface, "send", (w - 30 - NAV_W, nav_y, NAV_W, NAV_H), _("Envoyer"), "send", st.send,
                        primary=True, enabled=st.can_send, icon_right=True)
        font = self.ctx.assets.font(THEME.font_body, bold=True)
        # landscape: centred between the home button and « Écouter »
        text_w = w - 2 * (w - listen_button_rect((w, h)).left + 16) if w > h else w - 80
        lines = wrap_text(font, localise(st.question.text, self.ctx.i18n.lang), text_w)
        if len(lines) > lay["question_lines"]:
            lines = lines[:lay["question_lines"]]
            lines[-1] = lines[-1].rstrip(" ,") + "…"
        question_y = 30 if self.band is not None else lay["question_y"]
        for i, line in enumerate(lines):
            draw_text(surface, font, line, (w // 2, question_y + i * font.get_linesize()), THEME.text, "midtop")
        if self.band is None:
            tab_w = min(380, (w - 2 * NAV_W - 100) // 2) if w > h else 400
            for i, mode in enumerate(("write", "draw")):
                self._tab(surface, mode, pygame.Rect(w // 2 - tab_w - 10 + i * (tab_w + 20), tab_y, tab_w, 100))
        if st.mode == "write":
            self._write(surface)
        else:
            self._draw(surface)

    def _tab(self, surface, mode: str, rect: pygame.Rect) -> None:
        _ = self.ctx._
        label, icon = {"write": (_("Écrire"), "keyboard"), "draw": (_("Dessiner"), "brush")}[mode]
        self.wv.nav(surface, "mode:" + mode, rect, label, icon, lambda: self.st.set_mode(mode), primary=self.st.mode == mode)
        if self.st.has_part(mode):   # a tick on the tab: this part is already in the message
            badge = pygame.Rect(rect.right - 44, rect.top - 14, 52, 52)
            pygame.draw.ellipse(surface, THEME.good, badge)
            img = self.ctx.assets.icon("check", 36, THEME.on_accent)
            surface.blit(img, img.get_rect(center=badge.center))

    def _totem_row(self, surface) -> None:
        """[Retour] [Écrire] [Dessiner] [Envoyer] in one row under the chrome, within reach."""
        _ = self.ctx._
        w = self.ctx.canvas_size[0]
        cell = (w - 60 - 3 * 10) // 4
        x, y = 30, self.band[1]
        self.wv.nav(surface, "back", (x, y, cell, NAV_H), _("Retour"), "arrow-left", self.st.back_to_pick)
        self._tab(surface, "write", pygame.Rect(x + cell + 10, y, cell, NAV_H))
        self._tab(surface, "draw", pygame.Rect(x + 2 * (cell + 10), y, cell, NAV_H))
        self.wv.nav(surface, "send", (x + 3 * (cell + 10), y, cell, NAV_H), _("Envoyer"), "send", self.st.send,
                    primary=True, enabled=self.st.can_send, icon_right=True)

    def _write(self, surface) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        top = TOTEM_CONTENT_TOP if self.band else layout(self.ctx.canvas_size)["content_top"]
        bottom = self.band[0] - 70 if self.band else self.keyboard_rect.top - 64
        box = pygame.Rect(120 if w > h else 40, top, w - (240 if w > h else 80), bottom - top)
        pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
        font = self.ctx.assets.font(THEME.font_body)
        text = self.st.keys.text
        inner = box.inflate(-40, -30)
        if text:
            lines = wrap_text(font, text, inner.width)
            visible = max(1, inner.height // font.get_linesize())
            lines = lines[-visible:]
            y = inner.top
            direction = paragraph_direction(text, getattr(font, "direction", LTR))
            for line in lines:     # what the visitor types, from the right when it is Arabic or Hebrew
                last = draw_text_line_in(surface, font, line, inner.left, inner.right, y, THEME.text, direction)
                y += font.get_linesize()
            if (pygame.time.get_ticks() // 500) % 2 == 0:
                x = last.left - 4 if direction == RTL else last.right + 4
                pygame.draw.line(surface, THEME.accent, (x, last.top + 4), (x, last.bottom - 4), 3)
        else:
            hint = _("Touchez les lettres ci-dessous pour écrire…")     # where the visitor's first letter will go
            draw_text_line_in(surface, font, hint, inner.left, inner.right, inner.top, THEME.text_muted,
                              getattr(font, "direction", LTR))
        counter = f"{len(text)} / {self.st.keys.max_chars}"
        draw_text(surface, self.ctx.assets.font(THEME.font_small), counter, (box.right - 16, box.bottom - 8),
                  THEME.text_muted, "bottomright")
        self._reminder(surface, (box.left, box.bottom + 14), box.width)
        self.keyboard.state = self.st.keys
        self.keyboard.draw(surface)

    def _reminder(self, surface, pos, width) -> None:
        _ = self.ctx._
        if self.st.personal_data_warning:
            text = _("Attention : votre message semble contenir un numéro, une adresse ou un e-mail. Effacez-le, s’il vous plaît.")
        else:
            text = _("N’écrivez ni nom, ni numéro de téléphone, ni adresse.")
        draw_reminder(surface, pos, self.ctx.assets, text, width)

    def _draw(self, surface) -> None:
        _ = self.ctx._
        st = self.st
        paper = st.paper.sync()
        if self.scale != 1.0:
            paper = pygame.transform.smoothscale(paper, self.paper_rect.size)
        surface.blit(paper, self.paper_rect)
        pygame.draw.rect(surface, THEME.surface_hi, self.paper_rect.inflate(6, 6), width=3, border_radius=4)
        self._reminder(surface, (self.paper_rect.left, self.paper_rect.bottom + 16), self.paper_rect.width)
        portrait = self.ctx.canvas_size[1] > self.ctx.canvas_size[0]
        x = self.paper_rect.right + 40 if not portrait else self.paper_rect.left
        y = self.paper_rect.top if not portrait else self.paper_rect.bottom + 80
        size = 110
        d = st.drawing
        # landscape: two columns beside the paper; portrait: one row of eight under it; a totem: two rows
        # of six within reach, under the chrome
        per_row, step = (2, size + 20) if not portrait else (8, (self.paper_rect.width - size) // 7)
        if self.band is not None:
            x, y = 40, self.keyboard_rect.top + 10
            per_row, step = 6, (self.ctx.canvas_size[0] - 80 - size) // 5

        tools_box = pygame.Rect(x, y, step * (per_row - 1) + size, 1)      # the inks first on the right in Arabic

        def spot(i: int) -> pygame.Rect:
            return mirrored((x + (i % per_row) * step, y + (i // per_row) * (size + 20), size, size), tools_box,
                            self.ctx.i18n.rtl)

        for i, color in enumerate(d.palette):
            rect = spot(i)
            self.wv.zones.add(f"color:{i}", rect, lambda i=i: st.set_tool(i), name=_(INK_NAMES[i % len(INK_NAMES)]))
            pygame.draw.rect(surface, color, rect, border_radius=THEME.radius)
            # every swatch's edge, as every control's: the black ink is 1.03:1 against the page without it
            pygame.draw.rect(surface, THEME.outline, rect, width=3, border_radius=THEME.radius)
            if d.tool == i:
                pygame.draw.rect(surface, THEME.accent, rect.inflate(14, 14), width=6, border_radius=THEME.radius + 4)
        first_tool = 6 if not portrait else len(d.palette)   # landscape: a fresh row after the colours
        tools = (("eraser", "eraser", lambda: st.set_tool(ERASER), d.tool == ERASER),
                 ("undo", "arrow-back-up", st.undo, False), ("clear", "trash", st.clear_drawing, False))
        for i, (key, icon, action, selected) in enumerate(tools):
            rect = spot(first_tool + i)
            self.wv.zones.add("tool:" + key, rect, action, name=_(TOOL_NAMES[key]))
            pressed = self.wv.zones.pressed_key() == "tool:" + key
            pygame.draw.rect(surface, THEME.surface_hi if pressed or selected else THEME.surface, rect,
                             border_radius=THEME.radius)
            pygame.draw.rect(surface, THEME.outline, rect, width=3, border_radius=THEME.radius)
            if selected:
                pygame.draw.rect(surface, THEME.accent, rect.inflate(14, 14), width=6, border_radius=THEME.radius + 4)
            img = self.ctx.assets.icon(icon, 64, THEME.text)
            surface.blit(img, img.get_rect(center=rect.center))

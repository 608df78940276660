"""Drawing of the air station: now (CO2, people, dust) on the left, today's two curves on the right (on a
portrait totem: now above the chrome's row, the curves in reach under it)."""
from __future__ import annotations

import math

import numpy as np
import pygame

from kiosk.access.reach import Reach
from kiosk.chrome import controls_band
from kiosk.ui import THEME, Mirror, draw_text, draw_text_block
from kiosk.ui.chart import GRID
from stations.air.card import BAND_COLOURS, CO2_WORDS, PM_WORDS, draw_run, fr_number, sensor_state, state_text
from stations.air.model import CO2_BANDS, HIGH, MEDIUM, PM25_BANDS, band

CO2_COLOUR = THEME.accent
PEOPLE_COLOUR = THEME.info
# after a number, keeps it and its unit together left to right inside an Arabic line (« 25.3 µg/m³ »,
# not « µg/m³ 25.3 »); invisible, and nothing in a left-to-right line
LRM = "\u200e"
BAND_TINT = {MEDIUM: (44, 48, 56), HIGH: (54, 42, 56)}


def whole_ticks(top: float, max_ticks: int = 6) -> list[int]:
    """0 and whole-number steps (1, 2, 5 x 10^k) covering top: people come in whole numbers."""
    steps = (m * 10**k for k in range(7) for m in (1, 2, 5))
    step = next(s for s in steps if math.ceil(top / s) + 1 <= max_ticks)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def upper_first(text: str) -> str:
    """« pas de capteur de CO2 » -> « Pas de capteur de CO2 » (str.capitalize would write « co2 »)."""
    return text[:1].upper() + text[1:]


def hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class AirView:
    def __init__(self, station):
        self.station = station
        self.assets = station.ctx.assets
        self.ctx = station.ctx
        w, h = station.ctx.canvas_size
        self.portrait = portrait = h > w
        band = controls_band((w, h), Reach.of(station.ctx.kiosk))
        if portrait and band is not None:
            # the chrome's row within reach: the chart (touched to read an hour) under it, in reach; what is
            # only read above it, the explanation under the chart where there is room for it
            self.now_rect = pygame.Rect(60, 200, w - 120, 420)
            self.chart_rect = pygame.Rect(60, band[1], w - 120, min(760, band[2] - band[1]))
            below = pygame.Rect(60, self.chart_rect.bottom + 20, w - 120, h - 30 - self.chart_rect.bottom - 20)
            above = pygame.Rect(60, self.now_rect.bottom + 30, w - 120, band[0] - 20 - self.now_rect.bottom - 30)
            self.text_rect = below if below.height >= 200 else above
        elif portrait:
            self.now_rect = pygame.Rect(60, 200, w - 120, 420)
            self.chart_rect = pygame.Rect(60, 680, w - 120, 960)
            self.text_rect = pygame.Rect(60, 1690, w - 120, 220)
        else:
            self.now_rect = pygame.Rect(60, 200, 520, 700)
            self.chart_rect = pygame.Rect(640, 200, w - 700, 700)
            self.text_rect = pygame.Rect(60, 930, w - 120, 130)
        self.chrome_low = band is not None
        self.plot_rect = pygame.Rect(0, 0, 0, 0)
        self._span = (0, 60)
        self.header_rects: list[pygame.Rect] = []    # title and subtitle, as last drawn

    # -- hit-testing -----------------------------------------------------------------------------
    def minute_at(self, pos: tuple[float, float]) -> int | None:
        if not self.plot_rect.inflate(40, 40).collidepoint(pos):
            return None
        start, end = self._span
        f = (pos[0] - self.plot_rect.left) / max(1, self.plot_rect.width)
        return int(min(end - 1, max(start, start + f * (end - start))))

    # -- drawing -----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        _ = self.station.ctx._
        surface.fill(THEME.background)
        w, _h = surface.get_size()
        # Beside the home button, clear of the language menu (236 px from the right edge, 112 px high); from
        # the right in Arabic where the chrome leaves the top free (a portrait totem)
        head = Mirror(pygame.Rect(0, 0, w, 200), self.ctx.i18n.rtl and self.chrome_low)
        left = 60 if self.chrome_low else 240
        title = head.text(surface, self.assets.font(THEME.font_title, True), _("L’air de la salle"), (left, 60),
                          THEME.text, "midleft")
        font = self.assets.font(THEME.font_body)
        subtitle = _("Plus on est nombreux, plus l’air se charge en CO₂.")
        y = 130 if left + font.size(subtitle)[0] <= w - 256 else 152
        self.header_rects = [title, head.text(surface, font, subtitle, (left, y), THEME.text_muted, "midleft")]
        self._draw_now(surface)
        self._draw_chart(surface)
        self._draw_explanation(surface)

    def _draw_now(self, surface: pygame.Surface) -> None:
        """Now: CO2, people, dust; laid out from the left, drawn from the right in Arabic (`row`)."""
        _ = self.station.ctx._
        snap = self.station.snapshot
        rect = self.now_rect
        row = Mirror(rect, self.ctx.i18n.rtl)
        font = self.assets.font
        pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
        x, y = rect.left + 36, rect.top + 30
        row.text(surface, font(THEME.font_small), _("Maintenant"), (x, y), THEME.text_muted)
        y += 60
        # CO2: the big number, or why there is none.
        row.text(surface, font(THEME.font_body, True), "CO₂", (x, y), THEME.text)
        y += 50
        state = sensor_state(snap, "mhz19")
        co2 = None if snap is None else snap.co2_ppm
        if co2 is not None and state == "connected":
            level = band(co2, CO2_BANDS)
            big = font(THEME.font_huge, True)
            draw_run(surface, row, [(big, fr_number(co2, 0, self.ctx.i18n.lang), BAND_COLOURS[level], 0),
                                    (font(THEME.font_body), "ppm", THEME.text_muted, big.get_height() - 70)], x, y)
            y += big.get_height() + 4
            row.text(surface, font(THEME.font_body, True), upper_first(_(CO2_WORDS[level])), (x, y), BAND_COLOURS[level])
            y += 60
        else:
            text = state_text(_, state) if state else _("pas de capteur de CO₂")
            icon = self.assets.icon("hourglass" if state == "warming_up" else "plug-connected-x", 72, THEME.text_muted)
            row.blit(surface, icon, icon.get_rect(topleft=(x, y + 10)))
            room = (rect.centerx - 20 if self.portrait else rect.right - 36) - (x + 90)
            big = font(THEME.font_title, True)
            text = upper_first(text)
            row.text(surface, big if big.size(text)[0] <= room else font(THEME.font_body, True), text, (x + 90, y + 46),
                     THEME.text_muted, "midleft")
            y += 110
            if state == "warming_up":
                draw_text_block(surface, font(THEME.font_small),
                                _("Le capteur chauffe pendant trois minutes avant de mesurer."),
                                row.rect((x, y, (rect.width // 2 if self.portrait else rect.width) - 72, 120)),
                                THEME.text_muted)
            y += 80
        if self.portrait:   # two columns: CO2 first (left, or right in Arabic), people and dust in the other
            x, y = rect.centerx + 20, rect.top + 30
            pygame.draw.line(surface, GRID, (rect.centerx, rect.top + 30), (rect.centerx, rect.bottom - 30), 2)
        else:
            y += 30
            pygame.draw.line(surface, GRID, (x, y), (rect.right - 36, y), 2)
            y += 30
        # People in the room.
        occupancy = None if snap is None else snap.occupancy
        people_icon = self.assets.icon("users", 64, PEOPLE_COLOUR)
        row.blit(surface, people_icon, people_icon.get_rect(topleft=(x, y)))
        if occupancy is None:
            people = _("pas de compteur à la porte")
        else:
            people = _("{n} personne dans la salle") if occupancy == 1 else _("{n} personnes dans la salle")
            people = people.format(n=fr_number(occupancy, 0, self.ctx.i18n.lang))
        draw_text_block(surface, font(THEME.font_body, True), upper_first(people),
                        row.rect((x + 84, y + 6, rect.right - x - 120, 100)), THEME.text)
        y += 120
        # Dust, smaller.
        pm_state = sensor_state(snap, "sds011")
        if pm_state is not None:
            pm = None if snap is None else snap.pm25
            row.text(surface, font(THEME.font_small), _("Particules fines (PM2,5)"), (x, y), THEME.text_muted)
            y += 44
            if pm is not None and pm_state == "connected":
                level = band(pm, PM25_BANDS)
                row.text(surface, font(THEME.font_body, True),
                         f"{fr_number(pm, 1, self.ctx.i18n.lang)}{LRM} µg/m³ · {_(PM_WORDS[level])}", (x, y), BAND_COLOURS[level])
            else:
                row.text(surface, font(THEME.font_body, True), state_text(_, pm_state), (x, y), THEME.text_muted)

    def _draw_chart(self, surface: pygame.Surface) -> None:
        _ = self.station.ctx._
        day = self.station.day
        start, end = self._span = day.span(self.station.now_minute())
        rect = self.chart_rect
        pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
        font = self.assets.font(THEME.font_small)
        # Legend.
        lx, ly = rect.left + 36, rect.top + 34
        pygame.draw.line(surface, CO2_COLOUR, (lx, ly), (lx + 44, ly), 6)
        r = draw_text(surface, font, _("CO₂ (ppm)"), (lx + 56, ly), THEME.text, "midleft")
        pygame.draw.rect(surface, PEOPLE_COLOUR, (r.right + 40, ly - 12, 44, 24), border_radius=4)
        draw_text(surface, font, _("Personnes dans la salle"), (r.right + 96, ly), THEME.text, "midleft")

        co2 = day.co2[start:end]
        occ = day.occupancy()[start:end]
        known = co2[~np.isnan(co2)]
        co2_top = max(1400.0, float(known.max()) * 1.1 if known.size else 0.0)
        co2_floor = 400.0
        people_top = max(10.0, float(occ.max()) * 1.15 if occ.size else 0.0)
        people_ticks = whole_ticks(people_top)
        people_top = people_ticks[-1]
        plot = pygame.Rect(rect.left + 110, rect.top + 80, rect.width - 220, rect.height - 150)
        self.plot_rect = plot
        n = max(1, end - start)

        def x_of(i: float) -> float:
            return plot.left + plot.width * i / n

        def y_co2(v: float) -> float:
            return plot.bottom - plot.height * (v - co2_floor) / (co2_top - co2_floor)

        step = 200 if co2_top <= 1600 else 400 if co2_top <= 3200 else 1000
        co2_top = math.ceil(co2_top / step) * step
        # CO2 bands as tints behind everything, labelled on the left axis.
        for low, high, level in ((CO2_BANDS[0], CO2_BANDS[1], MEDIUM), (CO2_BANDS[1], co2_top, HIGH)):
            top_y, bottom_y = y_co2(min(high, co2_top)), y_co2(low)
            if bottom_y > plot.top:
                pygame.draw.rect(surface, BAND_TINT[level], (plot.left, max(plot.top, top_y), plot.width,
                                                             bottom_y - max(plot.top, top_y)))
        for v in [int(co2_floor)] + list(range((int(co2_floor) // step + 1) * step, int(co2_top) + 1, step)):
            y = y_co2(v)
            pygame.draw.line(surface, GRID, (plot.left, y), (plot.right, y), 1)
            draw_text(surface, font, fr_number(v, 0, self.ctx.i18n.lang), (plot.left - 12, y), CO2_COLOUR, "midright")
        for t in people_ticks:
            y = plot.bottom - plot.height * t / people_top
            draw_text(surface, font, fr_number(t, 0, self.ctx.i18n.lang), (plot.right + 12, y), PEOPLE_COLOUR, "midleft")
        # Occupancy: a step area (people are whole numbers).
        if day.has_door and occ.size:
            heights = plot.height * occ / people_top
            for i in np.flatnonzero(occ > 0):
                x0, x1 = x_of(i), x_of(i + 1)
                bar = pygame.Rect(math.floor(x0), round(plot.bottom - heights[i]), max(1, math.ceil(x1 - x0)),
                                  round(heights[i]))
                pygame.draw.rect(surface, PEOPLE_COLOUR, bar)
        # CO2: a line that breaks where there is no value.
        run: list[tuple[float, float]] = []
        for i, v in enumerate(list(co2) + [np.nan]):
            if np.isnan(v):
                if len(run) > 1:
                    pygame.draw.lines(surface, CO2_COLOUR, False, run, 5)
                elif len(run) == 1:
                    pygame.draw.circle(surface, CO2_COLOUR, (round(run[0][0]), round(run[0][1])), 5)
                run = []
            else:
                run.append((x_of(i + 0.5), max(plot.top, min(plot.bottom, y_co2(float(v))))))
        pygame.draw.line(surface, GRID, (plot.left, plot.bottom), (plot.right, plot.bottom), 2)
        # Hours along the bottom.
        label_w = font.size("00:00")[0] + 24
        step = next((s for s in (5, 10, 15, 30, 60, 120, 180, 240) if plot.width * s / n >= label_w), 360)
        first = (start + step - 1) // step * step
        for m in range(first, end + 1, step):
            x = x_of(m - start)
            pygame.draw.line(surface, GRID, (x, plot.bottom), (x, plot.bottom + 10), 2)
            draw_text(surface, font, hhmm(m % 1440), (x, plot.bottom + 14), THEME.text_muted, "midtop")
        if known.size + int(np.count_nonzero(occ)) < 10:
            # at the plot's top, on its own box: the day's first bars (bottom) stay visible and the words legible
            note = pygame.Rect(plot.left + 60, plot.top + 16, plot.width - 120, 110)
            pygame.draw.rect(surface, THEME.surface, note, border_radius=THEME.radius)
            draw_text_block(surface, self.assets.font(THEME.font_body),
                            _("La courbe se remplit au fil de la journée, minute après minute."),
                            note.inflate(-24, -16), THEME.text_muted, align="center")
        self._draw_cursor(surface, plot, x_of, y_co2)

    def _draw_cursor(self, surface, plot, x_of, y_co2) -> None:
        minute = self.station.cursor_minute
        if minute is None:
            return
        _ = self.station.ctx._
        start, _end = self._span
        day = self.station.day
        x = x_of(minute - start + 0.5)
        pygame.draw.line(surface, THEME.text, (x, plot.top), (x, plot.bottom), 3)
        parts = [hhmm(minute)]
        occ = int(day.occupancy()[minute])
        if day.has_door:
            parts.append((_("{n} personne") if occ == 1 else _("{n} personnes")).format(n=occ))
        value = day.co2[minute]
        if not np.isnan(value):
            parts.append(f"{fr_number(value, 0, self.ctx.i18n.lang)} ppm")
        font = self.assets.font(THEME.font_small, True)
        text = "  ·  ".join(parts)
        tw = font.size(text)[0] + 32
        box = pygame.Rect(0, plot.top + 8, tw, 52)
        box.centerx = round(min(max(x, plot.left + tw / 2), plot.right - tw / 2))
        pygame.draw.rect(surface, THEME.surface_hi, box, border_radius=12)
        draw_text(surface, font, text, box.center, THEME.text, "center")

    def _draw_explanation(self, surface: pygame.Surface) -> None:
        _ = self.station.ctx._
        text = _("Chaque personne rejette du CO₂ en respirant. Quand la salle se remplit, la courbe jaune monte ; "
                 "quand on aère, elle redescend. Touchez la courbe pour voir une heure précise.")
        r = self.station.correlation()
        if r is not None and r >= 0.5:
            text += " " + _("Aujourd’hui, les deux courbes montent et descendent ensemble.")
        draw_text_block(surface, self.assets.font(THEME.font_small), text, self.text_rect, THEME.text)

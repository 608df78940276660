"""What the « Trafic » station draws each frame (pygame): title and read-out, road and cars, legend, the
two diagrams, scenario buttons and controls. A mixin of TrafficStation, apart from its logic."""
from __future__ import annotations

import numpy as np
import pygame

from kiosk.access.controls import AREA, report_control
from kiosk.i18n import N_
from kiosk.ui import THEME, draw_text
from kiosk.ui.widgets import wrap_text

from .charts import draw_speed_legend
from .nasch import CELL_M, STEP_S
from .readout import fit_headline, readout_lines

ROAD_CONTROL = N_("La route : Entrée fait freiner la voiture la plus proche de la cible ; flèches pour viser")


def dice_icon(size: int, color=(255, 255, 255)) -> pygame.Surface:
    """A die showing five (chance, rule 3 of the automaton), drawn in code like the station's diagrams."""
    icon = pygame.Surface((size, size), pygame.SRCALPHA)
    box = pygame.Rect(0, 0, size - 6, size - 6)
    box.center = (size // 2, size // 2)
    pygame.draw.rect(icon, color, box, width=max(2, size // 14), border_radius=size // 6)
    r = max(2, size // 11)
    for fx, fy in ((0.3, 0.3), (0.7, 0.3), (0.5, 0.5), (0.3, 0.7), (0.7, 0.7)):
        pygame.draw.circle(icon, color, (box.left + fx * box.width, box.top + fy * box.height), r)
    return icon


class TrafficScreen:
    def draw(self, surface) -> None:
        _t = self.ctx._
        m = self.model
        L = self.layout
        surface.fill(THEME.background)
        fonts = {"head": self.ctx.assets.font(THEME.font_body, bold=True), "small": self.ctx.assets.font(THEME.font_small - 2),
                 "body": self.ctx.assets.font(THEME.font_body), "title": self.ctx.assets.font(THEME.font_title - 8, bold=True)}
        self._draw_header(surface, fonts, _t)
        self.road_view.draw_road(surface, m.ramp_light_green if m.road.ramp else None)
        report_control(self.road_view.rect, _t(ROAD_CONTROL), kind=AREA)
        vids = m.vid
        highlight = np.isin(vids, np.fromiter(self.highlight_until, int, len(self.highlight_until))) if self.highlight_until else np.zeros(vids.size, bool)
        self.road_view.draw_cars(surface, m.positions(), m.lane, m.length, m.v * 3.6, self.top_kmh, m.smart, highlight)
        if not self.tapped_once and m.road.ring and m.x.size:
            self._draw_tap_hint(surface)
        draw_speed_legend(surface, L.legend, self.top_kmh, fonts,
                          {"stopped": _t("à l’arrêt"), "unit": _t("vitesse (km/h)")})
        self.space_time.draw(surface, m.field, self.top_kmh, fonts, {
            "title": _t("Les bouchons au fil du temps"), "time": _t("temps"),
            "now": _t("maintenant"), "position": _t("sens de circulation"),
            "hint": _t("arrêt (rouge) qui descend = bouchon qui recule")})
        self._draw_fundamental(surface, fonts, _t)
        if self.rules_rect is not None:
            self._draw_rules(surface, fonts, _t)
        button_font = self.ctx.assets.font(THEME.font_small - (4 if L.portrait else 2))
        for button, s in zip(self.scenario_buttons, self.scenarios.values()):
            button.label = ""                     # the title goes on up to two lines, below
            button.draw(surface, button_font)
            lines = wrap_text(button_font, _t(s.title), button.rect.width - 16)[:2]
            top = button.rect.centery - len(lines) * button_font.get_linesize() // 2
            for k, line in enumerate(lines):
                draw_text(surface, button_font, line, (button.rect.centerx, top + k * button_font.get_linesize()),
                          THEME.text, "midtop")
        labels = {"fewer": _t("Moins de voitures"), "more": _t("Plus de voitures"),
                  "lapse": _t("Temps ×{n}").replace("{n}", str(self.time_lapse)),
                  "drivers": _t("Conducteurs calmes") if self.calm_drivers else _t("Conducteurs nerveux"),
                  "smart": _t("Voiture calme : oui") if m.smart.any() else _t("Voiture calme : non"),
                  "light": self._light_label(_t), "challenge": _t("Défi du feu"),
                  "random": _t("Hasard : oui") if self.cellular and m.p > 0 else _t("Hasard : non")}
        small = self.ctx.assets.font(THEME.font_small - (10 if L.portrait else 6))
        for key in self.shown_controls:
            self.controls[key].label = labels[key]
            self.controls[key].selected = ((key == "smart" and bool(m.smart.any())) or (key == "drivers" and self.calm_drivers)
                                           or (key == "random" and self.cellular and m.p > 0))
            self.controls[key].draw(surface, small)

    def _draw_header(self, surface, fonts, _t) -> None:
        """Title clear of the language switch; the read-out fitted inside its box, above the road."""
        L = self.layout
        title = f"{_t('Trafic')} · {_t(self.scenario.title)}"
        if fonts["title"].size(title)[0] > L.title_width:
            title = _t(self.scenario.title)
        font = fonts["title"] if fonts["title"].size(title)[0] <= L.title_width else fonts["head"]
        y = L.title_pos[1] + (fonts["title"].get_height() - font.get_height()) // 2
        # Arabic: lines from the right; the title too where the chrome leaves the top free (a portrait totem)
        rtl = self.ctx.i18n.rtl
        if rtl and L.title_width >= surface.get_width() - 2 * L.title_pos[0]:
            draw_text(surface, font, title, (L.title_pos[0] + L.title_width, y), THEME.text, "topright")
        else:
            draw_text(surface, font, title, (L.title_pos[0], y), THEME.text)
        x, anchor = (L.readout.right, "topright") if rtl else (L.readout.left, "topleft")
        headline, figures = readout_lines(self, _t)
        small = fonts["small"]
        room = L.readout.height - small.get_linesize() - 4
        assets = self.ctx.assets
        font, lines = fit_headline([fonts["head"], assets.font(THEME.font_body - 4, bold=True), assets.font(THEME.font_small, bold=True)],
                                   headline, L.readout.width, room)
        y = L.readout.top
        for line in lines:
            draw_text(surface, font, line, (x, y), THEME.accent, anchor)
            y += font.get_linesize()
        if small.size(figures)[0] > L.readout.width:
            small = assets.font(THEME.font_small - 8)
        draw_text(surface, small, figures, (x, y + 2), THEME.text_muted, anchor)

    def _draw_tap_hint(self, surface) -> None:
        """A pulsing finger next to the car at the top of the ring: 'touch me'."""
        m = self.model
        px, py, _ = self.road_view.to_screen(m.positions(), m.lane)
        k = int(np.argmin(py))
        calm = self.ctx.access is not None and self.ctx.access.reduced_motion
        pulse = 0.5 if calm else 0.5 + 0.5 * np.sin(self.frames / 8.0)
        size = int(64 + 12 * pulse)
        icon = self.ctx.assets.icon("hand-finger", size, THEME.accent)
        surface.blit(icon, icon.get_rect(midtop=(int(px[k]) + 10, int(py[k]) + 26)))

    def _light_label(self, _t) -> str:
        if self.challenge is not None:
            return _t("Feu : vert") if self.model.ramp_light_green else _t("Feu : rouge")
        return _t("Feu : automatique") if self.light_mode == "auto" else _t("Feu : éteint")

    def _draw_fundamental(self, surface, fonts, _t) -> None:
        m = self.model
        samples = m.detectors.recent(m.t - 240.0)
        pts = np.zeros((0, 3))
        if samples.size:
            ok = samples[:, 3] > 1.0
            pts = np.column_stack((samples[ok, 2] / samples[ok, 3], samples[ok, 2], samples[ok, 3]))
        density = m.density_veh_km_lane()
        now = (density, density * m.mean_speed_kmh()) if m.x.size else None
        extent = None
        if self.cellular:        # the automaton's axes, even before its curve is computed
            extent = (1000.0 / CELL_M, 3600.0 / STEP_S * m.ca.vmax / (m.ca.vmax + 1))
        self.fd.draw(surface, self.model_curve(), pts, now, fonts, {
            "title": _t("Débit selon la densité"), "x": _t("voitures par km (et par voie)"),
            "y": _t("voitures par heure"), "now": _t("maintenant"),
            "curve": _t("modèle"), "points": _t("capteurs")}, self.top_kmh, extent, lang=self.ctx.i18n.lang)

    def _draw_rules(self, surface, fonts, _t) -> None:
        """« Le modèle le plus simple »: the automaton's four rules beside its ring (rule 3 greyed when the
        visitor switched chance off), and what a cell and a step are; the largest fonts that fit."""
        r, m = self.rules_rect, self.model
        chance = m.p > 0
        title = _t("Chaque seconde, toutes les voitures en même temps :")
        rules = [_t("Accélérer : une case par seconde de plus, jusqu’à {v}.").replace("{v}", str(m.ca.vmax)),
                 _t("Freiner : pas plus de cases que d’espace libre devant."),
                 _t("Parfois, au hasard, ralentir d’une case ({p} % des fois).").replace("{p}", f"{100 * m.p:.0f}")
                 if chance else _t("Ralentir au hasard : désactivé."),
                 _t("Avancer : chaque voiture saute d’autant de cases.")]
        foot = _t("1 case = 7,5 m · 1 case par seconde = 27 km/h")
        font = self.ctx.assets.font
        for size in (THEME.font_small + 2, THEME.font_small, THEME.font_small - 4):
            head, body, small = font(size + 2, bold=True), font(size), font(size - 4)
            blocks = [(head, wrap_text(head, title, r.width), 0)]
            blocks += [(body, wrap_text(body, text, r.width - 50), 14) for text in rules]
            blocks.append((small, wrap_text(small, foot, r.width), 20))
            if sum(f.get_linesize() * len(lines) + gap for f, lines, gap in blocks) <= r.height:
                break
        y = r.top
        for k, (f, lines, gap) in enumerate(blocks):
            y += gap
            on = k != 3 or chance
            colour = THEME.text if on else THEME.text_muted
            x = r.left
            if 1 <= k <= 4:                        # a numbered badge before each rule
                badge = (r.left + 18, y + f.get_linesize() // 2)
                pygame.draw.circle(surface, THEME.accent if on else THEME.surface_hi, badge, 17)
                draw_text(surface, small, str(k), badge, THEME.on_accent if on else THEME.text_muted, "center")
                x = r.left + 50
            elif k == 5:
                colour = THEME.text_muted
            for line in lines:
                draw_text(surface, f, line, (x, y), colour)
                y += f.get_linesize()

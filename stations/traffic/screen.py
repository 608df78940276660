"""What the « Trafic » station draws each frame (pygame): title and read-out, road and cars, legend, the
two diagrams, scenario buttons and controls. A mixin of TrafficStation, apart from its logic."""
from __future__ import annotations

import numpy as np

from kiosk.ui import THEME, draw_text

from .charts import draw_speed_legend
from .idm import fundamental_diagram
from .readout import fit_headline, readout_lines


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
        vids = m.vid
        highlight = np.isin(vids, np.fromiter(self.highlight_until, int, len(self.highlight_until))) if self.highlight_until else np.zeros(vids.size, bool)
        self.road_view.draw_cars(surface, m.positions(), m.lane, m.length, m.v * 3.6, self.top_kmh, m.smart, highlight)
        if not self.tapped_once and m.road.ring and m.x.size:
            self._draw_tap_hint(surface)
        draw_speed_legend(surface, L.legend, self.top_kmh, fonts,
                          {"stopped": _t("à l'arrêt"), "unit": _t("vitesse (km/h)")})
        self.space_time.draw(surface, m.field, self.top_kmh, fonts, {
            "title": _t("Les bouchons au fil du temps"), "time": _t("temps"),
            "now": _t("maintenant"), "position": _t("sens de circulation"),
            "hint": _t("rouge qui descend = bouchon qui recule")})
        self._draw_fundamental(surface, fonts, _t)
        button_font = self.ctx.assets.font(THEME.font_small - (8 if L.portrait else 2))
        for button, s in zip(self.scenario_buttons, self.scenarios.values()):
            button.label = _t(s.title)
            button.draw(surface, button_font)
        labels = {"fewer": _t("Moins de voitures"), "more": _t("Plus de voitures"),
                  "lapse": _t("Temps ×{n}").replace("{n}", str(self.time_lapse)),
                  "drivers": _t("Conducteurs calmes") if self.calm_drivers else _t("Conducteurs nerveux"),
                  "smart": _t("Voiture calme : oui") if m.smart.any() else _t("Voiture calme : non"),
                  "light": self._light_label(_t), "challenge": _t("Défi du feu")}
        small = self.ctx.assets.font(THEME.font_small - (10 if L.portrait else 6))
        for key in self.shown_controls:
            self.controls[key].label = labels[key]
            self.controls[key].selected = (key == "smart" and bool(m.smart.any())) or (key == "drivers" and self.calm_drivers)
            self.controls[key].draw(surface, small)

    def _draw_header(self, surface, fonts, _t) -> None:
        """Title clear of the language switch; the read-out fitted inside its box, above the road."""
        L = self.layout
        title = f"{_t('Trafic')} · {_t(self.scenario.title)}"
        if fonts["title"].size(title)[0] > L.title_width:
            title = _t(self.scenario.title)
        font = fonts["title"] if fonts["title"].size(title)[0] <= L.title_width else fonts["head"]
        draw_text(surface, font, title, (L.title_pos[0], L.title_pos[1] + (fonts["title"].get_height() - font.get_height()) // 2), THEME.text)
        headline, figures = readout_lines(self, _t)
        small = fonts["small"]
        room = L.readout.height - small.get_linesize() - 4
        assets = self.ctx.assets
        font, lines = fit_headline([fonts["head"], assets.font(THEME.font_body - 4, bold=True), assets.font(THEME.font_small, bold=True)],
                                   headline, L.readout.width, room)
        y = L.readout.top
        for line in lines:
            draw_text(surface, font, line, (L.readout.left, y), THEME.accent)
            y += font.get_linesize()
        if small.size(figures)[0] > L.readout.width:
            small = assets.font(THEME.font_small - 8)
        draw_text(surface, small, figures, (L.readout.left, y + 2), THEME.text_muted)

    def _draw_tap_hint(self, surface) -> None:
        """A pulsing finger next to the car at the top of the ring: 'touch me'."""
        m = self.model
        px, py, _ = self.road_view.to_screen(m.positions(), m.lane)
        k = int(np.argmin(py))
        pulse = 0.5 + 0.5 * np.sin(self.frames / 8.0)
        size = int(64 + 12 * pulse)
        icon = self.ctx.assets.icon("hand-finger", size, THEME.accent)
        surface.blit(icon, icon.get_rect(midtop=(int(px[k]) + 10, int(py[k]) + 26)))

    def _light_label(self, _t) -> str:
        if self.challenge is not None:
            return _t("Feu : vert") if self.model.ramp_light_green else _t("Feu : rouge")
        return _t("Feu : automatique") if self.light_mode == "auto" else _t("Feu : éteint")

    def _draw_fundamental(self, surface, fonts, _t) -> None:
        m = self.model
        key = m.params
        if key not in self._curve_cache:
            d, q, _v = fundamental_diagram(m.params)
            self._curve_cache[key] = (d, q)
        samples = m.detectors.recent(m.t - 240.0)
        pts = np.zeros((0, 3))
        if samples.size:
            ok = samples[:, 3] > 1.0
            pts = np.column_stack((samples[ok, 2] / samples[ok, 3], samples[ok, 2], samples[ok, 3]))
        density = m.density_veh_km_lane()
        now = (density, density * m.mean_speed_kmh()) if m.x.size else None
        self.fd.draw(surface, self._curve_cache[key], pts, now, fonts, {
            "title": _t("Débit selon la densité"), "x": _t("voitures par km (et par voie)"),
            "y": _t("voitures par heure"), "now": _t("maintenant"),
            "curve": _t("modèle"), "points": _t("capteurs")}, self.top_kmh)

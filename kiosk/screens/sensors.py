"""Mediator page « Capteurs »: each serial device, connected or since when not, its last value and
what it rejected (checksums, garbage, duplicates), and the room's occupancy. Reads only
SensorService.snapshot() (ctx.sensors); never touches a port."""
from __future__ import annotations

from datetime import datetime

import pygame

from kiosk.ui import THEME, draw_text, draw_text_block, fit_text

REFRESH_S = 0.5
KIND_NAMES = {"footfall": "Compteur de porte", "sds011": "Particules fines (SDS011)", "mhz19": "CO₂ (MH-Z19B)"}
STATE_COLOURS = {"connected": THEME.good, "warming_up": THEME.warn, "offline": THEME.bad}


def describe_value(value, gettext) -> str:
    if not value:
        return "—"
    if "co2_ppm" in value:
        return f"{value['co2_ppm']} ppm"
    if "pm25" in value:
        return f"PM2,5 {value['pm25']:.1f} · PM10 {value['pm10']:.1f} µg/m³".replace(".", ",")
    if "in" in value:
        return gettext("{i} entrées, {o} sorties depuis son démarrage").format(i=value["in"], o=value["out"])
    return str(value)



class SensorsPage:
    """Follows the station contract (reset/enter/handle_event/update/draw/exit)."""

    language_switch = True   # the top-right corner is left to the chrome's language menu

    id = "sensors"

    def __init__(self, ctx):
        self.ctx = ctx
        self._ = ctx.i18n.gettext
        self.snapshot = None
        self._refresh_in = 0.0

    def sensors(self):
        return self.ctx.sensors

    def reset(self) -> None:
        self.snapshot = None
        self._refresh_in = 0.0

    def enter(self) -> None:
        self._refresh_in = 0.0

    def exit(self) -> None: ...

    def handle_event(self, ev) -> bool:
        return False

    def update(self, dt: float) -> None:
        self._refresh_in -= dt
        service = self.sensors()
        if service is not None and self._refresh_in <= 0:
            self._refresh_in = REFRESH_S
            self.snapshot = service.snapshot()

    def _time(self, t: float | None) -> str:
        if t is None:
            return "—"
        tz = getattr(self.ctx.kiosk, "tz", None)
        moment = datetime.fromtimestamp(t, tz)
        today = datetime.now(tz).date()
        return moment.strftime("%H:%M" if moment.date() == today else "%d/%m %H:%M")

    def _state_line(self, device) -> str:
        _ = self._
        since = self._time(device.since)
        if device.state == "connected":
            return _("connecté depuis {t}").format(t=since)
        if device.state == "warming_up":
            return _("préchauffage depuis {t}").format(t=since)
        if device.since is None:
            return _("hors ligne, jamais vu depuis le démarrage")
        return _("hors ligne depuis {t}").format(t=since)

    def draw(self, surface: pygame.Surface) -> None:
        _ = self._
        a = self.ctx.assets
        w, h = surface.get_size()
        surface.fill(THEME.background)
        draw_text(surface, a.font(THEME.font_title, True), _("Capteurs"), (240, 64), THEME.accent, "midleft")
        snap = self.snapshot
        if self.sensors() is None or snap is None or not snap.devices:
            draw_text_block(surface, a.font(THEME.font_body),
                            _("Aucun capteur n’est configuré. Déclarez-les dans la section [sensors] du fichier de "
                              "la salle (voir hardware/README.md), puis vérifiez-les avec « kiosk sensors »."),
                            pygame.Rect(120, 200, w - 240, 300), THEME.text_muted)
            return
        if snap.occupancy is not None:
            text = _("Personnes dans la salle : {n}").format(n=snap.occupancy)
            draw_text(surface, a.font(THEME.font_body, True), text, (w - 260, 64), THEME.text, "midright")  # left of the language menu
        top, row_h = 150, min(230, (h - 190) // max(1, len(snap.devices)))
        for i, device in enumerate(snap.devices):
            self._draw_device(surface, pygame.Rect(60, top + i * row_h, w - 120, row_h - 20), device)

    def _draw_device(self, surface: pygame.Surface, rect: pygame.Rect, device) -> None:
        _ = self._
        a = self.ctx.assets
        pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
        colour = STATE_COLOURS.get(device.state, THEME.text_muted)
        pygame.draw.circle(surface, colour, (rect.left + 44, rect.top + 46), 16)
        x = rect.left + 84
        title = f"{device.name} — {_(KIND_NAMES.get(device.kind, device.kind))}"
        draw_text(surface, a.font(THEME.font_body, True), title, (x, rect.top + 46), THEME.text, "midleft")
        draw_text(surface, a.font(THEME.font_body), self._state_line(device), (rect.right - 30, rect.top + 46),
                  colour, "midright")
        small = a.font(THEME.font_small)
        line2 = _("Dernière valeur : {v}").format(v=describe_value(device.last_value, _))
        draw_text(surface, small, line2, (x, rect.top + 96), THEME.text)
        counts = _("Trames rejetées : {r} · octets parasites : {g}").format(r=device.rejected, g=device.garbage_bytes)
        if device.kind == "footfall":
            counts += " · " + _("doublons : {d} · redémarrages : {b}").format(d=device.duplicates, b=device.reboots)
            if device.implausible:   # a line against the protocol or faster than a door: not counted
                counts += " · " + _("invraisemblables : {i}").format(i=device.implausible)
            if device.foreign:       # another board on this door's port: not counted
                counts += " · " + _("autre compteur : {f}").format(f=device.foreign)
        counts += " · " + _("reconnexions : {n}").format(n=device.reconnects)
        draw_text(surface, small, fit_text(small, counts, rect.right - x - 30), (x, rect.top + 138), THEME.text_muted)
        detail = _("Port : {p}").format(p=device.port or "—")
        if device.state == "offline" and device.last_error:
            detail += " · " + device.last_error
        if rect.height > 190:
            draw_text(surface, small, fit_text(small, detail, rect.right - x - 30), (x, rect.top + 172), THEME.text_muted)

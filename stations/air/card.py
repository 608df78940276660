"""The small "Air de la salle / Air in this room" card of the home menu.

    draw_air_card(surface, rect, snapshot, assets, i18n)

`snapshot` is hardware.readings.SensorSnapshot (or None when the sensors service is missing). The card
shows CO2 with its 800/1200 ppm band and PM2.5 with its WHO-style band, or "préchauffage" /
"hors ligne" when a sensor cannot be trusted right now. Text is French first, through i18n.
"""
from __future__ import annotations

import pygame

from kiosk import formats
from kiosk.ui import THEME, Mirror, draw_text
from stations.air.model import CO2_BANDS, GOOD, HIGH, MEDIUM, PM25_BANDS, band

BAND_COLOURS = {GOOD: THEME.good, MEDIUM: THEME.warn, HIGH: THEME.bad, None: THEME.text_muted}
CO2_WORDS = {GOOD: "air renouvelé", MEDIUM: "pensez à aérer", HIGH: "aérez la salle"}
PM_WORDS = {GOOD: "bon", MEDIUM: "moyen", HIGH: "mauvais"}
GAP = 8             # px between a label, its value and its unit


def fr_number(value: float, decimals: int = 0, lang: str = "fr") -> str:
    """1 234 and 10,6 in French; 1,234 and 10.6 in English: the language's grouping and decimal sign."""
    return formats.number(value, lang, decimals)


def sensor_state(snapshot, kind: str) -> str | None:
    """'warming_up', 'offline', 'connected' for the devices of a kind, or None when there is none."""
    if snapshot is None:
        return None
    devices = snapshot.of_kind(kind)
    if not devices:
        return None
    states = {d.state for d in devices}
    for state in ("connected", "warming_up"):
        if state in states:
            return state
    return "offline"


def state_text(gettext, state: str | None) -> str:
    if state == "warming_up":
        return gettext("préchauffage")
    if state == "offline":
        return gettext("hors ligne")
    return gettext("en attente de mesure")


def draw_run(surface: pygame.Surface, row: Mirror, parts, x: float, y: float) -> float:
    """Pieces of text (font, text, colour, dy) side by side, GAP apart, from x on a left-to-right layout
    drawn by `row` (mirrored in Arabic: the run then ends at the reflected x). A number and its unit stay
    in this order in any language. Returns where the run ends, on the left-to-right layout."""
    widths = [font.size(text)[0] for font, text, _colour, _dy in parts]
    total = sum(widths) + GAP * (len(parts) - 1)
    px = row.x(x) - total if row.rtl else x
    for (font, text, colour, dy), width in zip(parts, widths):
        draw_text(surface, font, text, (px, y + dy), colour)
        px += width + GAP
    return x + total


def draw_air_card(surface: pygame.Surface, rect: pygame.Rect, snapshot, assets, i18n) -> None:
    """The card, laid out from the left (from the right in Arabic)."""
    _ = i18n.gettext
    rect = pygame.Rect(rect)
    row = Mirror(rect, i18n.rtl)
    pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
    pad = 18
    icon = assets.icon("wind", 44, THEME.info)
    row.blit(surface, icon, icon.get_rect(topleft=(rect.left + pad, rect.top + pad - 2)))
    row.text(surface, assets.font(30, True), _("Air de la salle"), (rect.left + pad + 56, rect.top + pad + 20),
             THEME.text, "midleft")
    columns = [("CO₂", "mhz19"), ("PM" + fr_number(2.5, 1, i18n.lang), "sds011")]     # PM2,5 · PM2.5: the decimal sign
    columns = [c for c in columns if sensor_state(snapshot, c[1]) is not None] or columns[:1]
    col_w = (rect.width - 2 * pad) // len(columns)
    value_font, small = assets.font(38, True), assets.font(24)
    y = rect.top + 66
    for i, (label, kind) in enumerate(columns):
        x = rect.left + pad + i * col_w
        state = sensor_state(snapshot, kind)
        value = None if snapshot is None else (snapshot.co2_ppm if kind == "mhz19" else snapshot.pm25)
        # gaps in pixels, not spaces: a right-to-left line (Arabic) would carry a space to its other end
        after_label = draw_run(surface, row, [(small, label, THEME.text_muted, 10)], x, y) + GAP
        if value is None or state != "connected":
            draw_run(surface, row, [(assets.font(28, True), state_text(_, state), THEME.text_muted, 4)], after_label, y)
            continue
        if kind == "mhz19":
            level = band(value, CO2_BANDS)
            text, unit, words = fr_number(value, 0, i18n.lang), "ppm", CO2_WORDS[level]
        else:
            level = band(value, PM25_BANDS)
            text, unit, words = fr_number(value, 1 if value < 10 else 0, i18n.lang), "µg/m³", PM_WORDS[level]
        colour = BAND_COLOURS[level]
        draw_run(surface, row, [(value_font, text, colour, 0), (small, unit, THEME.text_muted, 10)], after_label, y)
        pygame.draw.circle(surface, colour, (row.x(x + 9), y + 56), 8)
        row.text(surface, small, _(words), (x + 26, y + 56), colour, "midleft")

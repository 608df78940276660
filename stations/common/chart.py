"""A chart of answers: one row per choice (pictogram + label), one bar column per period
(today, since opening, all venues). The visitor's own choices are highlighted in the accent colour
with a « vous » tag, so the eye finds them first; other bars are a calmer blue."""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from kiosk import formats
from kiosk.ui import THEME, Mirror, fit_text

MUTED_BAR = (70, 120, 190)


@dataclass
class ChartRow:
    label: str
    icon: pygame.Surface | None
    highlighted: bool


@dataclass
class ChartColumn:
    header: str
    fractions: list[float]   # one per row, 0..1
    total: int               # number of answers behind the column (shown under the header)
    total_label: str


def draw_answer_chart(surface: pygame.Surface, rect: pygame.Rect, rows: list[ChartRow],
                      columns: list[ChartColumn], assets, you_label: str, lang: str = "fr", rtl: bool = False) -> None:
    """Percentages written as `lang` writes them; `rtl` (Arabic): the whole table read from the right,
    labels on the right, bars growing leftwards (a share, not a time axis)."""
    rect = pygame.Rect(rect)
    mirror = Mirror(rect, rtl)

    def text(font, line, x, y, color, anchor="topleft") -> pygame.Rect:
        return mirror.text(surface, font, line, (x, y), color, anchor)

    header_h = 84
    label_w = min(560, rect.width // 3)
    col_gap = 40
    col_w = (rect.width - label_w - col_gap * len(columns)) // max(1, len(columns))
    row_h = min(92, (rect.height - header_h) // max(1, len(rows)))
    text_size = max(24, min(THEME.font_body, row_h - 20))
    label_font = assets.font(text_size)
    pct_font = assets.font(text_size, bold=True)
    head_font = assets.font(THEME.font_body, bold=True)
    small = assets.font(THEME.font_small - 4)
    widest_pct = pct_font.size(formats.percent(100, lang))[0]
    for c, col in enumerate(columns):
        x = rect.left + label_w + col_gap + c * (col_w + col_gap)
        text(head_font, col.header, x, rect.top, THEME.text)
        text(small, col.total_label, x, rect.top + 46, THEME.text_muted)
    for r, row in enumerate(rows):
        y = rect.top + header_h + r * row_h
        band = pygame.Rect(rect.left, y + 3, rect.width, row_h - 6)
        if row.highlighted:
            pygame.draw.rect(surface, THEME.surface_hi, band, border_radius=12)
            pygame.draw.rect(surface, THEME.accent, band, width=4, border_radius=12)
        x = rect.left + 14
        if row.icon is not None:
            icon = row.icon
            if icon.get_height() > row_h - 12:
                icon = pygame.transform.smoothscale(icon, (row_h - 12, row_h - 12))
            mirror.blit(surface, icon, icon.get_rect(midleft=(x, band.centery)))
            x += icon.get_width() + 14
        color = THEME.accent if row.highlighted else THEME.text
        label_rect = text(label_font, fit_text(label_font, row.label, label_w - (x - rect.left) - 10), x,
                          band.centery, color, "midleft")
        if row.highlighted:
            tag = small.render(you_label, True, THEME.on_accent)
            tag_rect = tag.get_rect(midleft=(mirror.rect(label_rect).right + 20, band.centery)).inflate(16, 6)
            if tag_rect.right < rect.left + label_w:
                tag_rect = mirror.rect(tag_rect)
                pygame.draw.rect(surface, THEME.accent, tag_rect, border_radius=10)
                surface.blit(tag, tag.get_rect(center=tag_rect.center))
        for c, col in enumerate(columns):
            cx = rect.left + label_w + col_gap + c * (col_w + col_gap)
            fraction = col.fractions[r] if r < len(col.fractions) else 0.0
            bar_max = col_w - widest_pct - 24
            bar = pygame.Rect(cx, band.centery - (row_h // 4), max(4, round(bar_max * fraction)), row_h // 2)
            pygame.draw.rect(surface, (24, 34, 54), mirror.rect((cx, bar.top, bar_max, bar.height)),
                             border_radius=8)
            pygame.draw.rect(surface, THEME.accent if row.highlighted else MUTED_BAR, mirror.rect(bar),
                             border_radius=8)
            text(pct_font, formats.percent(round(100 * fraction), lang), cx + bar_max + 10, band.centery, color,
                 "midleft")

"""The answers chart for narrow (portrait) screens: each choice on two lines, its pictogram and full
label first, then one bar per period (today, since opening, all venues) side by side underneath.

The shared chart (stations/common/chart.py) keeps labels and bars on one line, which needs a wide screen:
on 1080 px with three periods its headers overlap and its bars shrink to stubs. Here the period columns
share the whole width, and a header too wide for its column wraps onto a second line.
Same inputs as `draw_answer_chart`; returns what it drew, so tests can check the layout."""
from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from kiosk import formats
from kiosk.ui import THEME, Mirror, fit_text, wrap_text
from stations.common.chart import MUTED_BAR, ChartColumn, ChartRow

COL_GAP = 30
TRACK = (24, 34, 54)


@dataclass
class StackedLayout:
    headers: list[pygame.Rect] = field(default_factory=list)    # one per header line or total label drawn
    tracks: list[pygame.Rect] = field(default_factory=list)     # every bar's full-length track
    texts: list[pygame.Rect] = field(default_factory=list)      # every label, tag and percentage drawn
    labels: list[str] = field(default_factory=list)             # the row labels as drawn
    height: int = 0


def draw_stacked_chart(surface: pygame.Surface, rect: pygame.Rect, rows: list[ChartRow],
                       columns: list[ChartColumn], assets, you_label: str, lang: str = "fr",
                       rtl: bool = False) -> StackedLayout:
    """Percentages as `lang` writes them; `rtl` (Arabic): read from the right, bars growing leftwards."""
    rect = pygame.Rect(rect)
    out = StackedLayout()
    mirror = Mirror(rect, rtl)

    def text(font, line, pos, color, anchor="topleft") -> pygame.Rect:
        return mirror.text(surface, font, line, pos, color, anchor)
    n_cols = max(1, len(columns))
    col_w = (rect.width - 28 - COL_GAP * (n_cols - 1)) // n_cols
    head_font = assets.font(THEME.font_body, bold=True)
    small = assets.font(THEME.font_small - 4)

    def col_x(c: int) -> int:
        return rect.left + 14 + c * (col_w + COL_GAP)

    # Headers: the period's name (wrapped to two lines at most), then how many answers it counts.
    header_lines = [wrap_text(head_font, col.header, col_w)[:2] for col in columns]
    name_h = max((len(lines) for lines in header_lines), default=1) * head_font.get_linesize()
    for c, col in enumerate(columns):
        y = rect.top
        for line in header_lines[c]:
            out.headers.append(text(head_font, line, (col_x(c), y), THEME.text))
            y += head_font.get_linesize()
        out.headers.append(text(small, col.total_label, (col_x(c), rect.top + name_h + 2), THEME.text_muted))
    header_h = name_h + small.get_linesize() + 20
    row_h = min(116, (rect.height - header_h) // max(1, len(rows)))
    # The label line and the bars' line sit at 30 % and 72 % of the row: both lines of text must fit.
    text_size = THEME.font_body
    while text_size > 20 and assets.font(text_size, bold=True).get_linesize() > 0.42 * (row_h - 6):
        text_size -= 2
    label_font = assets.font(text_size)
    pct_font = assets.font(text_size, bold=True)
    pct_w = pct_font.size(formats.percent(100, lang))[0] + 14
    for r, row in enumerate(rows):
        band = pygame.Rect(rect.left, rect.top + header_h + r * row_h + 3, rect.width, row_h - 6)
        if row.highlighted:
            pygame.draw.rect(surface, THEME.surface_hi, band, border_radius=12)
            pygame.draw.rect(surface, THEME.accent, band, width=4, border_radius=12)
        color = THEME.accent if row.highlighted else THEME.text
        line1 = band.top + band.height * 0.3
        line2 = band.top + band.height * 0.72
        x = rect.left + 14
        if row.icon is not None:
            side = min(row.icon.get_height(), round(band.height * 0.5))
            icon = row.icon if row.icon.get_height() == side else pygame.transform.smoothscale(row.icon, (side, side))
            mirror.blit(surface, icon, icon.get_rect(midleft=(x, line1)))
            x += side + 14
        label = fit_text(label_font, row.label, band.right - 14 - x)
        label_rect = text(label_font, label, (x, line1), color, "midleft")
        out.labels.append(label)
        out.texts.append(label_rect)
        if row.highlighted:
            # the tag shrinks with the rows' text (a portrait totem's chart is shorter): it stays on its line
            tag = assets.font(min(THEME.font_small - 4, text_size - 4)).render(you_label, True, THEME.on_accent)
            tag_rect = tag.get_rect(midleft=(mirror.rect(label_rect).right + 20, line1)).inflate(16, 2)
            if tag_rect.right < band.right - 14:
                tag_rect = mirror.rect(tag_rect)
                pygame.draw.rect(surface, THEME.accent, tag_rect, border_radius=10)
                surface.blit(tag, tag.get_rect(center=tag_rect.center))
                out.texts.append(tag_rect)
        bar_h = max(12, round(band.height * 0.26))
        for c, col in enumerate(columns):
            fraction = col.fractions[r] if r < len(col.fractions) else 0.0
            track = pygame.Rect(col_x(c), round(line2 - bar_h / 2), col_w - pct_w, bar_h)
            bar = pygame.Rect(track.left, track.top, max(4, round(track.width * fraction)), bar_h)
            pct = text(pct_font, formats.percent(round(100 * fraction), lang), (track.right + 10, line2), color, "midleft")
            track, bar = mirror.rect(track), mirror.rect(bar)
            pygame.draw.rect(surface, TRACK, track, border_radius=8)
            pygame.draw.rect(surface, THEME.accent if row.highlighted else MUTED_BAR, bar, border_radius=8)
            out.tracks.append(track)
            out.texts.append(pct)
    out.height = header_h + row_h * len(rows)
    return out


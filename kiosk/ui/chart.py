"""Charts drawn with pygame: bars, a line, a weekday x hour heat map.

Made to be read at arm's length on a kiosk and on a printed page: large type, few grid lines, values
written on the bars when they fit, and "no data" drawn as such (a grey hatch), never as a zero.
Labels come already translated (French first). Every function draws inside `rect` and returns nothing.

    draw_bar_chart(surface, rect, [3, 5, None, 0], ["10h", "11h", "12h", "13h"], font)
    draw_line_chart(surface, rect, values_per_day, day_labels, font)
    draw_heat_map(surface, rect, grid, ["lun.", ...], [f"{h}h" for h in hours], font)
"""
from __future__ import annotations

import math
from typing import Sequence

import pygame

from kiosk.ui.theme import THEME, Color, contrast_ratio

GRID: Color = (62, 76, 104)
MISSING: Color = (88, 98, 118)
# Sequential palette for the heat map, dark to bright, readable on the dark theme and in grey print.
HEAT_STOPS: tuple[Color, ...] = ((36, 52, 92), (40, 110, 160), (70, 170, 150), (200, 210, 90), (255, 196, 61))


def nice_ticks(top: float, max_ticks: int = 5) -> list[float]:
    """0 and round steps (1, 2, 2.5, 5 x 10^k) covering `top`."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / max(1, max_ticks - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    if step < 1 and top >= 1:
        step = 1.0
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def format_number(value: float) -> str:
    """French style: thin space for thousands, comma for decimals (1 234 ; 2,5)."""
    if abs(value - round(value)) < 1e-9:
        return f"{int(round(value)):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f").replace(".", ",")


def _hatch(surface: pygame.Surface, rect: pygame.Rect, color: Color = MISSING, step: int = 10) -> None:
    clip = surface.get_clip()
    surface.set_clip(rect.clip(clip) if clip else rect)
    for x in range(rect.left - rect.height, rect.right, step):
        pygame.draw.line(surface, color, (x, rect.bottom), (x + rect.height, rect.top), 2)
    surface.set_clip(clip)


def _label_stride(font: pygame.font.Font, labels: Sequence[str], slot: float) -> int:
    widest = max((font.size(label)[0] for label in labels if label), default=0) + 12
    return max(1, math.ceil(widest / max(slot, 1)))


def _axes(surface, rect, font, top, unit_font=None) -> tuple[pygame.Rect, float]:
    """Grid lines and y labels; returns the plot area and its scale top."""
    ticks = nice_ticks(top)
    label_w = max(font.size(format_number(t))[0] for t in ticks) + 16
    plot = pygame.Rect(rect.left + label_w, rect.top + font.get_linesize() // 2,
                       rect.width - label_w, rect.height - font.get_linesize() * 2 - 8)
    scale_top = ticks[-1]
    for t in ticks:
        y = plot.bottom - plot.height * t / scale_top
        pygame.draw.line(surface, GRID, (plot.left, y), (plot.right, y), 1 if t else 2)
        img = font.render(format_number(t), True, THEME.text_muted)
        surface.blit(img, img.get_rect(midright=(plot.left - 10, y)))
    return plot, scale_top


def draw_bar_chart(surface: pygame.Surface, rect: pygame.Rect, values: Sequence[float | None],
                   labels: Sequence[str], font: pygame.font.Font, *, color: Color = THEME.info,
                   highlight: int | None = None, value_font: pygame.font.Font | None = None) -> None:
    """Vertical bars; None = no data (hatched stub). `highlight` draws that bar in the accent colour."""
    rect = pygame.Rect(rect)
    if not values:
        return
    top = max((v for v in values if v is not None), default=0) or 1
    plot, scale_top = _axes(surface, rect, font, top)
    slot = plot.width / len(values)
    bar_w = max(2, int(slot * 0.72))
    value_font = value_font or font

    stride = _label_stride(font, labels, slot)
    for i, v in enumerate(values):
        cx = plot.left + slot * (i + 0.5)
        if v is None:
            stub = pygame.Rect(0, 0, bar_w, max(12, plot.height // 10))
            stub.midbottom = (round(cx), plot.bottom)
            _hatch(surface, stub)
        elif v > 0:
            h = max(2, round(plot.height * v / scale_top))
            bar = pygame.Rect(0, 0, bar_w, h)
            bar.midbottom = (round(cx), plot.bottom)
            pygame.draw.rect(surface, THEME.accent if i == highlight else color, bar,
                             border_top_left_radius=6, border_top_right_radius=6)
            text = format_number(v)
            if value_font.size(text)[0] <= slot - 4:  # written on the bar when it fits
                img = value_font.render(text, True, THEME.text)
                surface.blit(img, img.get_rect(midbottom=(cx, bar.top - 4)))
        if i % stride == 0 and i < len(labels):
            img = font.render(labels[i], True, THEME.text_muted)
            surface.blit(img, img.get_rect(midtop=(cx, plot.bottom + 8)))


def draw_line_chart(surface: pygame.Surface, rect: pygame.Rect, values: Sequence[float | None],
                    labels: Sequence[str], font: pygame.font.Font, *, color: Color = THEME.accent,
                    markers: bool = True, flags: Sequence[bool] | None = None, flag_color: Color = THEME.warn) -> None:
    """One series; None = no data: the line breaks and the slot gets a grey hatched band.
    `flags` marks points to read with care (e.g. a sensor offline part of that day) in flag_color."""
    rect = pygame.Rect(rect)
    if not values:
        return
    top = max((v for v in values if v is not None), default=0) or 1
    plot, scale_top = _axes(surface, rect, font, top)
    slot = plot.width / len(values)
    for i, v in enumerate(values):
        if v is None:
            band = pygame.Rect(round(plot.left + slot * i + 1), plot.top, max(2, round(slot) - 2), plot.height)
            _hatch(surface, band, (50, 60, 82), 14)
    points: list[tuple[float, float] | None] = [
        None if v is None else (plot.left + slot * (i + 0.5), plot.bottom - plot.height * v / scale_top)
        for i, v in enumerate(values)]
    run: list[tuple[float, float]] = []
    for p in points + [None]:
        if p is None:
            if len(run) > 1:
                pygame.draw.lines(surface, color, False, run, 5)
            run = []
        else:
            run.append(p)
    if markers:
        for i, p in enumerate(points):
            if p is not None:
                flagged = flags is not None and i < len(flags) and flags[i]
                pygame.draw.circle(surface, flag_color if flagged else color, (round(p[0]), round(p[1])), 11 if flagged else 7)
                pygame.draw.circle(surface, THEME.background, (round(p[0]), round(p[1])), 5 if flagged else 3)
    stride = _label_stride(font, labels, slot)
    for i in range(0, min(len(labels), len(values)), stride):
        img = font.render(labels[i], True, THEME.text_muted)
        surface.blit(img, img.get_rect(midtop=(plot.left + slot * (i + 0.5), plot.bottom + 8)))


def heat_color(t: float) -> Color:
    """0..1 along HEAT_STOPS."""
    t = min(1.0, max(0.0, t)) * (len(HEAT_STOPS) - 1)
    i = min(int(t), len(HEAT_STOPS) - 2)
    f = t - i
    a, b = HEAT_STOPS[i], HEAT_STOPS[i + 1]
    return tuple(round(a[k] + (b[k] - a[k]) * f) for k in range(3))  # type: ignore[return-value]


def draw_heat_map(surface: pygame.Surface, rect: pygame.Rect, grid: Sequence[Sequence[float | None]],
                  row_labels: Sequence[str], col_labels: Sequence[str], font: pygame.font.Font, *,
                  legend: str = "", show_values: bool = True, value_font: pygame.font.Font | None = None) -> None:
    """Rows x columns of cells coloured by value (brighter = more); None = hatched (no data)."""
    rect = pygame.Rect(rect)
    rows, cols = len(grid), len(grid[0]) if grid else 0
    if not rows or not cols:
        return
    label_w = max(font.size(r)[0] for r in row_labels) + 16
    legend_h = font.get_linesize() + 24
    area = pygame.Rect(rect.left + label_w, rect.top, rect.width - label_w,
                       rect.height - font.get_linesize() - 8 - legend_h)
    cw, ch = area.width / cols, area.height / rows
    top = max((v for row in grid for v in row if v is not None), default=0) or 1
    for r, row in enumerate(grid):
        y = area.top + ch * r
        img = font.render(row_labels[r], True, THEME.text_muted)
        surface.blit(img, img.get_rect(midright=(area.left - 10, y + ch / 2)))
        for c, v in enumerate(row):
            cell = pygame.Rect(round(area.left + cw * c) + 2, round(y) + 2, math.ceil(cw) - 4, math.ceil(ch) - 4)
            if v is None:
                pygame.draw.rect(surface, THEME.background, cell)
                _hatch(surface, cell, (46, 56, 78), 12)
                continue
            fill = heat_color(v / top)
            pygame.draw.rect(surface, fill, cell, border_radius=4)
            vf = value_font or font
            if show_values and vf.size("000")[0] < cw - 6 and vf.get_linesize() < ch:
                text = format_number(round(v, 1) if v < 10 else round(v))
                ink = max((THEME.text, THEME.on_accent), key=lambda c: contrast_ratio(c, fill))
                img = vf.render(text, True, ink)
                surface.blit(img, img.get_rect(center=cell.center))
    stride = _label_stride(font, col_labels, cw)
    for c in range(0, cols, stride):
        img = font.render(col_labels[c], True, THEME.text_muted)
        surface.blit(img, img.get_rect(midtop=(area.left + cw * (c + 0.5), area.bottom + 8)))
    # Legend: the colour ramp from 0 to the maximum, and what a hatched cell means.
    ly = area.bottom + font.get_linesize() + 20
    ramp = pygame.Rect(area.left, ly, min(360, area.width // 3), font.get_linesize() - 8)
    for x in range(ramp.width):
        pygame.draw.line(surface, heat_color(x / max(1, ramp.width - 1)), (ramp.left + x, ramp.top), (ramp.left + x, ramp.bottom))
    zero = font.render("0", True, THEME.text_muted)
    surface.blit(zero, zero.get_rect(midright=(ramp.left - 8, ramp.centery)))
    high = font.render(format_number(round(top, 1) if top < 10 else round(top)) + (f"  {legend}" if legend else ""), True, THEME.text_muted)
    surface.blit(high, high.get_rect(midleft=(ramp.right + 8, ramp.centery)))

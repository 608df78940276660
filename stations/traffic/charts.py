"""The two live diagrams beside the road, and the speed legend (pygame).

Space-time diagram: time runs to the right (the last few minutes), position along the road runs up
(the direction of traffic); each pixel is coloured by the speed there, so a jam moving backwards is a
red stripe going *down* to the right. Fundamental diagram: flow against density, the model's
equilibrium curve and the detector measurements as dots.
"""
from __future__ import annotations

import numpy as np
import pygame

from kiosk import formats
from kiosk.ui import THEME, draw_text, wrap_text
from kiosk.ui.text import LTR, RTL

from .view import PALETTE, STOPPED_COLOR, STOPPED_KMH, draw_stop_mark, speed_colors

AXIS = (150, 160, 180)
GRID = (52, 64, 90)
CURVE = (90, 170, 255)


def _title(surface, font, text: str, rect: pygame.Rect, plot: pygame.Rect) -> pygame.Rect:
    """A chart's title over its top left corner, top right in a right-to-left language (the axes keep
    their direction); returns the plot, its top lowered under a taller script's title."""
    if getattr(font, "direction", LTR) == RTL:
        title = draw_text(surface, font, text, (rect.right, rect.top), THEME.text, "topright")
    else:
        title = draw_text(surface, font, text, (rect.left, rect.top), THEME.text)
    top = max(plot.top, title.bottom + 2)
    return pygame.Rect(plot.left, top, plot.width, plot.bottom - top)


def _lines(font, text: str, width: int, colour) -> pygame.Surface:
    """`text` wrapped at `width` (or its longest word's), centred line under line, on a transparent surface."""
    width = max([width] + [font.size(word)[0] for word in text.split()])
    lines = [font.render(line, True, colour) for line in wrap_text(font, text, width)]
    block = pygame.Surface((max(img.get_width() for img in lines), font.get_linesize() * len(lines)), pygame.SRCALPHA)
    for k, img in enumerate(lines):
        block.blit(img, img.get_rect(midtop=(block.get_width() // 2, k * font.get_linesize())))
    return block

class SpaceTimeDiagram:
    def __init__(self, rect: pygame.Rect, window_s: float = 120.0):
        self.rect = pygame.Rect(rect)
        self.window_s = window_s
        self._image: pygame.Surface | None = None
        self._rows_seen = -1

    def draw(self, surface, field, top_kmh: float, fonts, labels: dict[str, str]) -> None:
        r = self.rect
        plot = _title(surface, fonts["head"], labels["title"], r,
                      pygame.Rect(r.left + 40, r.top + 44, r.width - 50, r.height - 112))
        pygame.draw.rect(surface, (24, 32, 50), plot)
        total = len(field.times)
        if total != self._rows_seen:
            self._rows_seen = total
            self._image = self._render(field, top_kmh)
        if self._image is not None:
            img = pygame.transform.scale(self._image, (max(1, int(plot.width * self._fill)), plot.height))
            surface.blit(img, (plot.left, plot.top))
        pygame.draw.rect(surface, AXIS, plot, 2)
        small = fonts["small"]
        now_x = plot.left + int(plot.width * self._fill_or0())
        if self._fill_or0() > 0.4:
            draw_text(surface, small, labels["now"], (now_x, plot.bottom + 6), THEME.text_muted, "topright")
        label = draw_text(surface, small, labels["time"], (plot.left, plot.bottom + 6), THEME.text_muted)
        draw_text(surface, small, labels["hint"], (plot.centerx, plot.bottom + 36), THEME.accent, "midtop")
        ay = label.centery
        pygame.draw.line(surface, AXIS, (label.right + 10, ay), (label.right + 70, ay), 3)
        pygame.draw.polygon(surface, AXIS, [(label.right + 80, ay), (label.right + 66, ay - 8), (label.right + 66, ay + 8)])
        # position axis: an arrow up the left side, the direction of traffic
        ax = r.left + 18
        pygame.draw.line(surface, AXIS, (ax, plot.bottom), (ax, plot.top + 6), 3)
        pygame.draw.polygon(surface, AXIS, [(ax - 9, plot.top + 18), (ax + 9, plot.top + 18), (ax, plot.top)])
        room = plot.bottom - r.top - 50            # under the title: on a portrait totem, two lines
        label = pygame.transform.rotate(_lines(fonts["small"], labels["position"], room, THEME.text_muted), 90)
        if label.get_height() > room:
            label = pygame.transform.smoothscale(label, (round(label.get_width() * room / label.get_height()), room))
        surface.blit(label, label.get_rect(midright=(ax - 4, min(plot.centery, plot.bottom - room // 2))))

    def _fill_or0(self) -> float:
        return getattr(self, "_fill", 0.0)

    def _render(self, field, top_kmh: float) -> pygame.Surface | None:
        rows = field.array(self.window_s)
        n = int(self.window_s / field.sample_s)
        self._fill = min(1.0, rows.shape[0] / n) if n else 0.0
        if rows.shape[0] < 2:
            return None
        kmh = np.nan_to_num(rows * 3.6, nan=0.0)
        rgb = speed_colors(kmh.ravel(), top_kmh).reshape(kmh.shape + (3,))
        # make_surface wants (width, height, 3): width = time, height = position (flipped: up = ahead)
        return pygame.surfarray.make_surface(np.ascontiguousarray(rgb[:, ::-1, :]))


class FundamentalDiagram:
    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)

    def draw(self, surface, curve, points, now, fonts, labels, top_kmh: float, extent=None, lang: str = "fr") -> None:
        """curve: (density, flow) arrays, or None while it is being computed (then `extent`, the
        (density, flow) the axes must reach, sizes the plot); points: (n, 3) density, flow, speed;
        now: (density, flow)."""
        r = self.rect
        plot = _title(surface, fonts["head"], labels["title"], r,
                      pygame.Rect(r.left + 124, r.top + 44, r.width - 144, r.height - 96))
        pygame.draw.rect(surface, (24, 32, 50), plot)
        dens, flow = curve if curve is not None else (np.zeros(0), np.zeros(0))
        d_reach, q_reach = (float(dens.max()), float(flow.max())) if dens.size else extent
        d_top = d_reach * 1.02
        q_top = float(max(q_reach, points[:, 1].max() if len(points) else 0)) * 1.15
        sx = plot.width / d_top
        sy = plot.height / q_top
        for q in _ticks(q_top):
            y = plot.bottom - q * sy
            pygame.draw.line(surface, GRID, (plot.left, y), (plot.right, y), 1)
            draw_text(surface, fonts["small"], formats.number(q, lang), (plot.left - 6, y), THEME.text_muted, "midright")
        for d in _ticks(d_top):
            x = plot.left + d * sx
            draw_text(surface, fonts["small"], f"{d:.0f}", (x, plot.bottom + 4), THEME.text_muted, "midtop")
        pts = [(plot.left + d * sx, plot.bottom - q * sy) for d, q in zip(dens, flow)]
        if len(pts) > 1:
            pygame.draw.lines(surface, CURVE, False, pts, 4)
        if len(points):
            cols = speed_colors(points[:, 2], top_kmh)
            for (d, q, _), c in zip(points.tolist(), cols.tolist()):
                if 0 <= d <= d_top:
                    pygame.draw.circle(surface, c, (plot.left + d * sx, plot.bottom - q * sy), 8)
        small = fonts["small"]
        legend_w = 12 + small.size(labels["points"])[0] + 40 + small.size(labels["curve"])[0] + 50
        legend_box = pygame.Rect(plot.right - legend_w, plot.top, legend_w, 40)
        if now is not None and 0 <= now[0] <= d_top:
            centre = (plot.left + now[0] * sx, plot.bottom - now[1] * sy)
            pygame.draw.circle(surface, THEME.text, centre, 14, 4)
            size = fonts["small"].size(labels["now"])
            dots = [(plot.left + d * sx, plot.bottom - q * sy) for d, q, _ in points.tolist()] if len(points) else []
            spot = now_label_rect(centre, size, plot, pts, [legend_box], dots)
            draw_text(surface, fonts["small"], labels["now"], spot.topleft, THEME.text)
        pygame.draw.rect(surface, AXIS, plot, 2)
        draw_text(surface, fonts["small"], labels["x"], (plot.centerx, plot.bottom + 32), THEME.text_muted, "midtop")
        y_label = pygame.transform.rotate(fonts["small"].render(labels["y"], True, THEME.text_muted), 90)
        surface.blit(y_label, y_label.get_rect(midleft=(r.left, plot.centery)))
        # legend, top right inside the plot: the curve and the dots
        lx, ly = plot.right - 12, plot.top + 20
        end = draw_text(surface, fonts["small"], labels["points"], (lx, ly), THEME.text_muted, "midright")
        pygame.draw.circle(surface, (255, 210, 60), (end.left - 16, ly), 8)
        end = draw_text(surface, fonts["small"], labels["curve"], (end.left - 40, ly), THEME.text_muted, "midright")
        pygame.draw.line(surface, CURVE, (end.left - 50, ly), (end.left - 10, ly), 4)


def now_label_rect(centre, size, plot: pygame.Rect, curve_pts, avoid=(), dots=()) -> pygame.Rect:
    """Where the « maintenant » label goes: beside the marker, on the side where it covers neither the
    model's curve nor the legend (nor, if it can, the detectors' dots), inside the plot (first of
    up-right, down-right, up-left, down-left)."""
    cx, cy = centre
    w, h = size
    spots = [pygame.Rect(cx + 18, cy - 18 - h, w, h), pygame.Rect(cx + 18, cy + 18, w, h),
             pygame.Rect(cx - 18 - w, cy - 18 - h, w, h), pygame.Rect(cx - 18 - w, cy + 18, w, h)]
    curve = np.asarray(curve_pts, dtype=float).reshape(-1, 2)
    if curve.shape[0] > 1:                      # the polyline every 2 px, so a steep segment is seen too
        xs = np.arange(curve[:, 0].min(), curve[:, 0].max(), 2.0)
        curve = np.column_stack((xs, np.interp(xs, curve[:, 0], curve[:, 1])))

    def cost(r: pygame.Rect) -> tuple[int, int]:
        box = r.inflate(8, 8)
        hits = int(((curve[:, 0] >= box.left) & (curve[:, 0] <= box.right)
                    & (curve[:, 1] >= box.top) & (curve[:, 1] <= box.bottom)).sum()) if curve.size else 0
        outside = 0 if plot.contains(r) else 1
        covers = sum(1 for a in avoid if r.colliderect(a))
        dotted = sum(1 for x, y in dots if r.inflate(16, 16).collidepoint(x, y))
        return (outside + covers, hits, dotted)
    return min(spots, key=cost)        # min keeps the first of equal costs


def _ticks(top: float) -> list[float]:
    raw = top / 4
    mag = 10 ** np.floor(np.log10(max(raw, 1e-9)))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    return [k * step for k in range(1, int(top / step) + 1)]


_LEGENDS: dict[tuple, pygame.Surface] = {}


def draw_speed_legend(surface, rect: pygame.Rect, top_kmh: float, fonts, labels) -> None:
    """Colour bar from 0 to top_kmh, with the 'stopped' swatch first (rendered once, then blitted)."""
    key = (tuple(rect), top_kmh, labels["stopped"], labels["unit"], id(fonts["small"]))
    if key not in _LEGENDS:
        layer = pygame.Surface((rect[2] + 60, rect[3] + 70), pygame.SRCALPHA)
        _render_speed_legend(layer, pygame.Rect(0, 34, rect[2], rect[3]), top_kmh, fonts, labels)
        _LEGENDS[key] = layer
    surface.blit(_LEGENDS[key], (rect[0], rect[1] - 34))


def _render_speed_legend(surface, r: pygame.Rect, top_kmh: float, fonts, labels) -> None:
    small = fonts["small"]
    swatch = pygame.Rect(r.left, r.top, 34, 26)
    pygame.draw.rect(surface, STOPPED_COLOR, swatch, border_radius=6)
    draw_stop_mark(surface, swatch.center, 11)
    end = draw_text(surface, small, labels["stopped"], (swatch.right + 8, swatch.centery), THEME.text, "midleft")
    bar = pygame.Rect(end.right + 24, r.top, max(120, r.right - end.right - 24), 26)
    cols = PALETTE[np.linspace(0, 255, bar.width).astype(int)]
    start = int(STOPPED_KMH / top_kmh * bar.width)
    for i in range(start, bar.width):
        pygame.draw.line(surface, tuple(int(c) for c in cols[i]), (bar.left + i, bar.top), (bar.left + i, bar.bottom))
    pygame.draw.rect(surface, AXIS, bar.inflate(2, 2), 1, border_radius=4)
    step = 20 if top_kmh <= 80 else 40
    for kmh in range(0, int(top_kmh) + 1, step):
        x = bar.left + kmh / top_kmh * bar.width
        draw_text(surface, small, f"{kmh}", (x, bar.bottom + 2), THEME.text_muted, "midtop")
    draw_text(surface, small, labels["unit"], (bar.right, bar.top - 2), THEME.text_muted, "bottomright")

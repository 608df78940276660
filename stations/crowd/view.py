"""CrowdView: draws the room, the crowd, the density heat map and the live chart; maps touches to metres.

Thousands of discs are drawn with one `Surface.blits` call over pre-rendered sprites (one per colour
bucket and size), so N = 10,000 costs a few milliseconds, not one Python draw call per agent.
"""
from __future__ import annotations

import numpy as np
import pygame

from kiosk.ui import THEME

from .geometry import Geometry
from .model import CrowdModel

ROOM_BG = (26, 34, 52)
FLOOR = (38, 48, 70)
WALL = (226, 232, 240)
VISITOR = (255, 196, 61)
EXIT_OPEN = (88, 200, 120)
EXIT_CLOSED = (235, 80, 80)
# Speed classes (m/s upper edges) and their colours, stopped (warm) -> fast (cool): neighbours stay apart
# for colour-blind visitors too (tests/access/test_colour.py), and a second channel says the same thing:
# a stopped person has a white ring, a moving one a tick pointing where they walk, longer when faster.
SPEED_EDGES = (0.2, 0.5, 0.9, 1.3)
SPEED_COLOURS = [(200, 40, 60), (245, 140, 40), (250, 230, 150), (80, 200, 200), (110, 120, 255)]
RING = (245, 247, 250)
TICK = (12, 16, 26)
DIRECTIONS = 8
GROUP_COLOURS = [(255, 150, 90), (110, 170, 255), (120, 220, 140), (230, 120, 220)]
KEY = (255, 0, 255)
PILLAR, PILLAR_RIM, PILLAR_TOP, SHADOW = (150, 156, 168), (70, 76, 90), (205, 210, 218), (12, 16, 26)
LABEL_OUTLINE = (14, 18, 28)
DOT = (16, 20, 32)       # people over the density map: dark, seen on every class's colour
# The density map in five classes, 1 to 5+ persons/m² (each cell shows the nearest): blue, teal, yellow,
# orange, white as they look over the floor stay apart for colour-blind visitors (tests/access/test_colour.py);
# the legend numbers each class and the densest place of the room carries its figure.
HEAT = np.array([(90, 110, 240), (40, 190, 200), (225, 240, 120), (235, 110, 30), (255, 250, 245)], float)
HEAT_ALPHA = (150, 235, 235, 235, 235)
HEAT_MAX = 5.0          # persons/m² of the top class (Weidmann: walking stops at 5.4)


class RoomTransform:
    """Metres <-> canvas pixels for a room drawn inside `rect` (y up in metres, down on screen)."""

    def __init__(self, bounds: tuple[float, float, float, float], rect: pygame.Rect, margin_m: float = 0.6):
        xmin, ymin, xmax, ymax = bounds
        xmin, ymin, xmax, ymax = xmin - margin_m, ymin - margin_m, xmax + margin_m, ymax + margin_m
        self.scale = min(rect.width / (xmax - xmin), rect.height / (ymax - ymin))
        width, height = (xmax - xmin) * self.scale, (ymax - ymin) * self.scale
        self.ox = rect.x + (rect.width - width) / 2 - xmin * self.scale
        self.oy = rect.y + (rect.height - height) / 2 + ymax * self.scale
        self.rect = pygame.Rect(round(self.ox + xmin * self.scale), round(self.oy - ymax * self.scale),
                                round(width), round(height))

    def to_px(self, x, y):
        return self.ox + np.asarray(x) * self.scale, self.oy - np.asarray(y) * self.scale

    def point(self, p) -> tuple[int, int]:
        x, y = self.to_px(p[0], p[1])
        return int(round(float(x))), int(round(float(y)))

    def to_m(self, px: float, py: float) -> tuple[float, float]:
        return (px - self.ox) / self.scale, (self.oy - py) / self.scale


class CrowdView:
    def __init__(self, rect: pygame.Rect):
        self.rect = pygame.Rect(rect)
        self.transform: RoomTransform | None = None
        self._static: pygame.Surface | None = None
        self._walls: pygame.Surface | None = None
        self._static_key: tuple | None = None
        self._sprites: dict[tuple, pygame.Surface] = {}
        self.show_heat = False
        self.still = False                      # reduced motion: the pillar hint does not pulse
        self.densest: tuple[tuple[int, int], float] | None = None   # the density map's densest cell, px and /m²
        self.hidden_exits: set[str] = set()     # targets inside a room (train seats) are not doors
        self.hint: tuple[float, float] | None = None  # "try a pillar here"
        self.hint_label: pygame.Surface | None = None
        self.labels: list[tuple[pygame.Surface, tuple[float, float]]] = []   # place names on the floor

    def fit(self, model: CrowdModel) -> None:
        bounds = model.geometry.bounds()
        if model.period is not None:
            bounds = (model.period[0], bounds[1], model.period[1], bounds[3])
        self.transform = RoomTransform(bounds, self.rect)
        self._static_key = None

    # -- drawing -----------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface, model: CrowdModel, colour_by: str, previews=()) -> None:
        if self.transform is None:
            self.fit(model)
        key = (id(model.geometry), model.geometry.version, self.rect.size)
        if key != self._static_key:
            self._static = self._draw_static(model.geometry, model)
            self._walls = self._draw_static(model.geometry, model, floor=False)
            self._static_key = key
        surface.blit(self._static, self.rect.topleft)
        if self.show_heat and model.count:
            self._draw_heat(surface, model)
            surface.blit(self._walls, self.rect.topleft)     # walls and doors stay crisp over the map
            self._draw_dots(surface, model, colour_by)
        else:
            self._draw_agents(surface, model, colour_by)
        for image, at in self.labels:     # place names over the crowd (outlined letters, no plate)
            surface.blit(image, image.get_rect(center=self.transform.point(at)))
        self._draw_visitor_changes(surface, model.geometry)
        if self.hint is not None and self.hint_label and not any(p.by_visitor for p in model.geometry.pillars):
            # "try a pillar here": a pulsing ring over the crowd with a short label
            c = self.transform.point(self.hint)
            r = max(12, 0.3 * self.transform.scale) * (1.3 + (0 if self.still else 0.25 * np.sin(model.time * 4)))
            pygame.draw.circle(surface, VISITOR, c, r, 4)
            label = self.hint_label
            box = label.get_rect(midright=(c[0] - r - 14, c[1]))
            pygame.draw.rect(surface, THEME.background, box.inflate(16, 8), border_radius=8)
            surface.blit(label, box)
        for a, b, ok in previews:   # walls being drawn by a finger
            pygame.draw.line(surface, VISITOR if ok else EXIT_CLOSED, self.transform.point(a),
                             self.transform.point(b), max(4, int(0.15 * self.transform.scale)))

    def _draw_static(self, geometry: Geometry, model: CrowdModel, floor: bool = True) -> pygame.Surface:
        """The room (floor, walls, doors, the scenario's columns); floor=False: all but the floor,
        colour-keyed, to lay over the density map."""
        t = self.transform
        surf = pygame.Surface(self.rect.size)
        surf.fill(ROOM_BG if floor else KEY)
        shift = (-self.rect.x, -self.rect.y)
        if floor:
            pygame.draw.rect(surf, FLOOR, t.rect.move(shift), border_radius=6)
        else:
            surf.set_colorkey(KEY, pygame.RLEACCEL)
        width = max(3, int(0.12 * t.scale))

        def line(a, b, colour, w=width):
            pa, pb = t.point(a), t.point(b)
            pygame.draw.line(surf, colour, (pa[0] + shift[0], pa[1] + shift[1]), (pb[0] + shift[0], pb[1] + shift[1]), w)

        for wall in geometry.walls:
            for a, b in zip(wall[:-1], wall[1:]):
                line(a, b, WALL)
        for poly in geometry.polygons:
            pts = [tuple(np.add(t.point(p), shift)) for p in poly]
            pygame.draw.polygon(surf, WALL, pts)
        for pillar in geometry.pillars:
            if not pillar.by_visitor:
                draw_pillar(surf, np.add(t.point(pillar.center), shift), pillar.radius * t.scale)
        for ex in geometry.exits:
            if model.period is not None or ex.name in self.hidden_exits:
                continue  # the corridor's ends are not doors: it wraps around
            line(ex.a, ex.b, EXIT_OPEN if ex.is_open else EXIT_CLOSED, max(width + 6, int(0.3 * t.scale)))
            if not ex.is_open:   # a cross on a closed door
                mx, my = np.add(t.point(ex.midpoint), shift)
                s = max(10, int(0.5 * t.scale))
                pygame.draw.line(surf, EXIT_CLOSED, (mx - s, my - s), (mx + s, my + s), 5)
                pygame.draw.line(surf, EXIT_CLOSED, (mx - s, my + s), (mx + s, my - s), 5)
        return surf

    def _draw_visitor_changes(self, surface: pygame.Surface, geometry: Geometry) -> None:
        """What visitors added is drawn over the crowd, so that it never hides under people."""
        t = self.transform
        width = max(6, int(0.15 * t.scale))
        for a, b in geometry.visitor_walls:
            pygame.draw.line(surface, (20, 20, 30), t.point(a), t.point(b), width + 4)
            pygame.draw.line(surface, VISITOR, t.point(a), t.point(b), width)
        for pillar in geometry.pillars:
            if pillar.by_visitor:
                draw_pillar(surface, t.point(pillar.center), pillar.radius * t.scale)

    def _sprite(self, radius_px: int, colour: tuple, mark: int | None = None, direction: int = 0) -> pygame.Surface:
        """A person seen from above. `mark`: None, plain; 0, stopped (a white ring); k > 0, moving in speed
        class k (a tick from the centre towards `direction` of DIRECTIONS, longer in a faster class)."""
        key = (radius_px, colour, mark, direction if mark else 0)
        if key not in self._sprites:
            # colour-keyed, RLE-accelerated sprites blit several times faster than per-pixel alpha
            ring = 2 if mark == 0 else 0
            size = 2 * (radius_px + ring) + 2
            c = size / 2
            s = pygame.Surface((size, size))
            s.fill(KEY)
            if ring:
                pygame.draw.circle(s, RING, (c, c), radius_px + ring)
            pygame.draw.circle(s, colour, (c, c), radius_px)
            if radius_px >= 5:
                pygame.draw.circle(s, (15, 20, 30), (c, c), radius_px, 1)
            if mark and radius_px >= 4:
                angle = 2 * np.pi * direction / DIRECTIONS
                reach = radius_px * min(1.0, 0.35 + 0.18 * mark)
                end = (c + reach * np.cos(angle), c - reach * np.sin(angle))
                pygame.draw.line(s, TICK, (c, c), end, max(2, radius_px // 4))
            s.set_colorkey(KEY, pygame.RLEACCEL)
            self._sprites[key] = s
        return self._sprites[key]

    def _draw_agents(self, surface: pygame.Surface, model: CrowdModel, colour_by: str) -> None:
        if model.count == 0:
            return
        t = self.transform
        x, y = t.to_px(model.pos[:, 0], model.pos[:, 1])
        sizes = np.maximum(2, np.round(model.radius * t.scale * 0.92)).astype(int)
        if colour_by == "speed":
            bucket = speed_class(model.speeds())
            heading = np.arctan2(model.vel[:, 1], model.vel[:, 0])     # metres: y up, as the sprites' angles
            direction = np.round(heading / (2 * np.pi) * DIRECTIONS).astype(int) % DIRECTIONS
            direction[bucket == 0] = 0
            keys = list(zip(sizes.tolist(), bucket.tolist(), direction.tolist()))
            sprite = {k: self._sprite(k[0], SPEED_COLOURS[k[1]], k[1], k[2]) for k in set(keys)}
            half = sizes + 1 + 2 * (bucket == 0)
        else:
            bucket = model.group % len(GROUP_COLOURS)
            keys = list(zip(sizes.tolist(), bucket.tolist()))
            sprite = {k: self._sprite(k[0], GROUP_COLOURS[k[1]]) for k in set(keys)}
            half = sizes + 1
        xs = (x - half).astype(int).tolist()
        ys = (y - half).astype(int).tolist()
        surface.blits([(sprite[k], (px, py)) for k, px, py in zip(keys, xs, ys)], doreturn=False)

    def _draw_heat(self, surface: pygame.Surface, model: CrowdModel, cell_m: float = 0.5) -> None:
        t = self.transform
        xmin, ymin = t.to_m(t.rect.left, t.rect.bottom)
        xmax, ymax = t.to_m(t.rect.right, t.rect.top)
        nx = max(1, int((xmax - xmin) / cell_m))
        ny = max(1, int((ymax - ymin) / cell_m))
        density = local_density(model.pos, (xmin, xmax), (ymin, ymax), nx, ny, cell_m)
        rgba = np.empty(density.shape + (4,), np.uint8)
        rgb, alpha = heat_colour(density)
        rgba[..., :3], rgba[..., 3] = rgb, alpha
        i, j = np.unravel_index(int(np.argmax(density)), density.shape)
        self.densest = (t.point((xmin + (i + 0.5) * cell_m, ymin + (j + 0.5) * cell_m)), float(density[i, j]))
        rows = np.ascontiguousarray(rgba[:, ::-1].transpose(1, 0, 2))   # (y down, x) for pygame
        img = pygame.image.frombuffer(rows.tobytes(), (nx, ny), "RGBA")
        surface.blit(pygame.transform.smoothscale(img, t.rect.size), t.rect.topleft)

    def _draw_dots(self, surface: pygame.Surface, model: CrowdModel, colour_by: str) -> None:
        """With the density map on, people are small dots, so that the colours underneath stay
        readable: white, or their destination's colour where that is the room's story."""
        t = self.transform
        x, y = t.to_px(model.pos[:, 0], model.pos[:, 1])
        r = max(2, int(0.08 * t.scale))
        if colour_by == "speed":
            sprites, which = [self._sprite(r, DOT)], np.zeros(model.count, int)
        else:
            sprites = [self._sprite(max(r, 5), c) for c in GROUP_COLOURS]
            which, r = model.group % len(GROUP_COLOURS), max(r, 5)
        xs = (x - r - 1).astype(int).tolist()
        ys = (y - r - 1).astype(int).tolist()
        surface.blits([(sprites[k], (px, py)) for k, px, py in zip(which.tolist(), xs, ys)], doreturn=False)

    # -- hit testing -------------------------------------------------------------------------
    def inside(self, pos) -> bool:
        return self.transform is not None and self.transform.rect.collidepoint(pos)

    def to_m(self, pos) -> tuple[float, float]:
        return self.transform.to_m(*pos)


def outlined(font: pygame.font.Font, text: str, colour, outline=LABEL_OUTLINE, width: int = 2) -> pygame.Surface:
    """Text with a dark outline: legible over people of any colour, and they stay visible between
    the letters (a plate behind the words would hide them)."""
    core = font.render(text, True, colour)
    edge = font.render(text, True, outline)
    out = pygame.Surface((core.get_width() + 2 * width, core.get_height() + 2 * width), pygame.SRCALPHA)
    for dx in range(-width, width + 1):
        for dy in range(-width, width + 1):
            if dx or dy:
                out.blit(edge, (width + dx, width + dy))
    out.blit(core, (width, width))
    return out


def local_density(pos: np.ndarray, xr, yr, nx: int, ny: int, cell_m: float) -> np.ndarray:
    """Persons per m² around each cell of a (nx, ny) grid, counted over the 3 x 3 cells around it
    (1.5 m x 1.5 m for 0.5 m cells): one person alone reads 0.4 /m², not 4 as in their own cell."""
    counts, _, _ = np.histogram2d(pos[:, 0], pos[:, 1], bins=(nx, ny), range=(xr, yr))
    padded = np.pad(counts, 1)
    window = sum(padded[i:i + nx, j:j + ny] for i in range(3) for j in range(3))
    return window / (9 * cell_m * cell_m)


def heat_class(density: np.ndarray) -> np.ndarray:
    """The class of each density: -1 below 0.5 /m² (the floor stays clear), else 0..4 for 1..5+ /m²."""
    d = np.asarray(density, float)
    return np.where(d < 0.5, -1, np.clip(np.round(d), 1, HEAT_MAX).astype(int) - 1)


def heat_colour(density: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """RGB and alpha of the density map: clear below 0.5 /m², then the colour of the nearest class."""
    k = heat_class(density)
    rgb = HEAT[np.maximum(k, 0)]
    alpha = np.where(k < 0, 0, np.asarray(HEAT_ALPHA, float)[np.maximum(k, 0)])
    return rgb, alpha


def heat_legend(steps: int | None = None) -> list[tuple[int, int, int]]:
    """The five classes' colours as they look over the floor (the legend), from 1 to 5+ /m²."""
    a = (np.asarray(HEAT_ALPHA, float) / 255)[:, None]
    mixed = HEAT * a + np.asarray(FLOOR, float) * (1 - a)
    return [tuple(int(round(c)) for c in row) for row in mixed]


def speed_class(speeds: np.ndarray) -> np.ndarray:
    """The class of SPEED_COLOURS of each speed (m/s): 0 stopped, then slower to faster."""
    return np.searchsorted(np.asarray(SPEED_EDGES), np.asarray(speeds), side="right")


def draw_pillar(surface: pygame.Surface, centre, radius_px: float) -> None:
    """A stone column seen from above: a shadow, a grey shaft with a dark rim, a ring and a light
    top. Grey, and drawn a little larger than anyone: no walker is ever grey or looks like it."""
    r = max(6.0, radius_px)
    cx, cy = centre
    pygame.draw.circle(surface, SHADOW, (cx + 0.25 * r, cy + 0.3 * r), r + 3)
    pygame.draw.circle(surface, PILLAR_RIM, (cx, cy), r + 3)
    pygame.draw.circle(surface, PILLAR, (cx, cy), r)
    pygame.draw.circle(surface, PILLAR_RIM, (cx, cy), 0.62 * r, max(2, int(r / 6)))
    pygame.draw.circle(surface, PILLAR_TOP, (cx - 0.25 * r, cy - 0.25 * r), 0.28 * r)


def draw_curve_chart(surface: pygame.Surface, rect: pygame.Rect, font, curve, ghost, y_max: float,
                     t_max: float, y_label: str, x_label: str) -> None:
    """People remaining (or another value) against time; the previous attempt drawn as a ghost."""
    pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
    plot = rect.inflate(-60, -130).move(10, 18)     # room for two lines of read-outs above it
    pygame.draw.line(surface, THEME.text_muted, plot.bottomleft, plot.bottomright, 2)
    pygame.draw.line(surface, THEME.text_muted, plot.bottomleft, plot.topleft, 2)
    y_max = max(y_max, 1e-6)
    t_max = max(t_max, 10.0)

    def points(series):
        return [(plot.left + plot.width * min(ti, t_max) / t_max, plot.bottom - plot.height * min(v, y_max) / y_max)
                for ti, v in series]

    if len(ghost) > 1:
        pygame.draw.lines(surface, (120, 130, 150), False, points(ghost), 3)
    if len(curve) > 1:
        pygame.draw.lines(surface, THEME.accent, False, points(curve), 5)
    img = font.render(y_label, True, THEME.text)
    surface.blit(img, (rect.x + 16, rect.y + 8))
    img = font.render(x_label, True, THEME.text_muted)
    surface.blit(img, img.get_rect(bottomright=(rect.right - 16, rect.bottom - 6)))

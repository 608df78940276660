"""Drawing the road and its cars, and finding the car under a finger (pygame, no model logic).

A ring is drawn as a circle (lane 0, the right-hand lane, outside; traffic turns anticlockwise); an
open road as a straight band from left to right with the on-ramp joining from below. Cars are
rotated rectangles coloured by speed; stopped cars are red; the car a visitor braked gets a white halo.
"""
from __future__ import annotations

import math

import numpy as np
import pygame

from kiosk.ui import THEME

ROAD = (58, 64, 78)
ROAD_EDGE = (150, 156, 170)
LANE_MARK = (120, 126, 140)
WORKS = (255, 150, 60)
ARROW = (80, 92, 118)
STOPPED_KMH = 5.0          # drawn as stopped below this (a visitor sees "à l'arrêt")
# Stopped, then four classes of moving cars (a quarter of the scale's top speed each): the same colours
# as the crowd's speed classes, apart for colour-blind visitors (tests/access/test_colour.py). A stopped
# car also carries a white mark: its state is never told by colour alone.
SPEED_CLASS_COLOURS = ((200, 40, 60), (245, 140, 40), (250, 230, 150), (80, 200, 200), (110, 120, 255))
STOPPED_COLOR = SPEED_CLASS_COLOURS[0]
STOP_MARK = (245, 247, 250)
SMART_COLOR = (235, 235, 240)         # the calm car: white, outlined (no speed class is white)


def speed_class(v_kmh: np.ndarray, top_kmh: float) -> np.ndarray:
    """0 stopped, then 1..4 by quarters of top_kmh."""
    v = np.asarray(v_kmh, float)
    moving = 1 + np.clip((v / max(top_kmh, 1.0) * 4).astype(int), 0, 3)
    return np.where(v < STOPPED_KMH, 0, moving)


def speed_palette(n: int = 256) -> np.ndarray:
    """The legend's bar: the moving classes' colours over n steps from 0 to the top speed."""
    return np.array(SPEED_CLASS_COLOURS, np.uint8)[1 + np.minimum((np.arange(n) * 4) // n, 3)]


PALETTE = speed_palette()


def speed_colors(v_kmh: np.ndarray, top_kmh: float) -> np.ndarray:
    """(n, 3) uint8 colours of the speed classes; stopped cars in the stopped colour."""
    return np.array(SPEED_CLASS_COLOURS, np.uint8)[speed_class(v_kmh, top_kmh)]


def draw_stop_mark(surface, centre, half: int) -> None:
    """A white bar with a dark edge: "stopped" seen without colour."""
    x, y = int(centre[0]), int(centre[1])
    pygame.draw.line(surface, (15, 18, 26), (x - half - 1, y), (x + half + 1, y), max(4, half // 2 + 3))
    pygame.draw.line(surface, STOP_MARK, (x - half, y), (x + half, y), max(2, half // 2))


class RoadView:
    """Geometry of one road inside `rect`: world (x m, lane) -> screen pixels."""

    def __init__(self, road, rect: pygame.Rect, cell_m: float | None = None):
        self.road = road
        self.rect = pygame.Rect(rect)
        self.cell_m = cell_m            # the cellular automaton's cells, drawn across a ring's lane
        self.lanes = road.lanes
        if road.ring:
            self.center = self.rect.center
            self.lane_w = max(22, min(40, self.rect.height // 22))
            self.outer = min(self.rect.width, self.rect.height) / 2 - 20
            self.px_per_m = 2 * math.pi * (self.outer - self.lane_w * road.lanes / 2) / road.length
        else:
            self.lane_w = 40
            self.left = self.rect.left + 20
            self.width = self.rect.width - 40
            self.px_per_m = self.width / road.length
            # main road band centred a bit above the middle, leaving room for the ramp below
            self.top = self.rect.centery - self.lane_w * road.lanes // 2 - 30
            if road.ramp:
                lx, ly, _ = self.to_screen(np.array([road.ramp.merge_start - road.ramp.light_offset]),
                                           np.array([road.ramp_lane]))
                self.light_pos = (int(lx[0]) + 70, int(ly[0]) + 50)

    # -- world -> screen -------------------------------------------------------------------------
    def to_screen(self, x: np.ndarray, lane: np.ndarray):
        """(px, py, heading angle rad) arrays for fronts of vehicles, centred on their lane."""
        road = self.road
        if road.ring:
            theta = (x % road.length) / road.length * 2 * math.pi
            radius = self.outer - (lane + 0.5) * self.lane_w
            px = self.center[0] + radius * np.cos(theta)
            py = self.center[1] - radius * np.sin(theta)
            heading = theta + math.pi / 2
            return px, py, heading
        px = self.left + x * self.px_per_m
        py = self.top + (self.lanes - 1 - lane + 0.5) * self.lane_w
        heading = np.zeros_like(px)
        if road.ramp:
            on_ramp = lane == road.ramp_lane
            drop = np.clip((road.ramp.merge_start - x) / road.ramp.approach, 0, 1) * 110
            py = np.where(on_ramp, self.top + (self.lanes + 0.5) * self.lane_w + drop, py)
            heading = np.where(on_ramp & (x < road.ramp.merge_start), math.atan2(110 / road.ramp.approach, self.px_per_m), 0.0)
        return px, py, -heading

    def car_polygons(self, x, lane, length):
        """(n, 4, 2) corners of the car rectangles (rear-to-front along the heading)."""
        px, py, heading = self.to_screen(x, lane)
        car_len = np.maximum(length * self.px_per_m, 9.0)
        car_w = self.lane_w * 0.62
        fx, fy = np.cos(heading), -np.sin(heading)       # screen direction of travel
        sx, sy = -fy, fx
        cx = px - fx * car_len / 2
        cy = py - fy * car_len / 2
        corners = np.empty((x.size, 4, 2))
        for k, (a, b) in enumerate(((-1, -1), (1, -1), (1, 1), (-1, 1))):
            corners[:, k, 0] = cx + a * fx * car_len / 2 + b * sx * car_w / 2
            corners[:, k, 1] = cy + a * fy * car_len / 2 + b * sy * car_w / 2
        return corners, px, py

    # -- drawing ---------------------------------------------------------------------------------
    def draw_road(self, surface: pygame.Surface, light_green: bool | None) -> None:
        """The static road is rendered once on a transparent layer; the ramp light every frame."""
        if getattr(self, "_layer", None) is None:
            full = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._draw_static(full)
            area = self.rect.clip(full.get_rect())
            self._layer = full.subsurface(area).copy()
            self._layer_pos = area.topleft
        surface.blit(self._layer, self._layer_pos)
        if light_green is not None and self.road.ramp:
            self._draw_light(surface, light_green)

    def _draw_static(self, surface: pygame.Surface) -> None:
        road = self.road
        if road.ring:
            outer = self.outer
            inner = outer - self.lane_w * road.lanes
            pygame.draw.circle(surface, ROAD, self.center, int(outer) + 3, int(outer - inner) + 6)
            pygame.draw.circle(surface, ROAD_EDGE, self.center, int(outer) + 3, 3)
            pygame.draw.circle(surface, ROAD_EDGE, self.center, int(inner) - 3, 3)
            for k in range(1, road.lanes):
                r = outer - k * self.lane_w
                for a in np.arange(0, 2 * math.pi, 2 * math.pi / 72):
                    p0 = (self.center[0] + r * math.cos(a), self.center[1] - r * math.sin(a))
                    p1 = (self.center[0] + r * math.cos(a + 0.04), self.center[1] - r * math.sin(a + 0.04))
                    pygame.draw.line(surface, LANE_MARK, p0, p1, 2)
            if self.cell_m:
                self._draw_cells(surface, inner, outer)
            self._draw_direction_arrows(surface, inner - 34)
            return
        band = pygame.Rect(self.left, self.top, self.width, self.lane_w * road.lanes)
        if road.ramp:
            self._draw_ramp(surface)
        pygame.draw.rect(surface, ROAD, band.inflate(0, 6))
        pygame.draw.line(surface, ROAD_EDGE, band.topleft, band.topright, 3)
        pygame.draw.line(surface, ROAD_EDGE, band.bottomleft, band.bottomright, 3)
        for k in range(1, road.lanes):
            y = band.top + k * self.lane_w
            for x0 in range(band.left, band.right, 28):
                pygame.draw.line(surface, LANE_MARK, (x0, y), (x0 + 14, y), 2)
        if road.closure:
            c = road.closure
            y = self.top + (self.lanes - 1 - c.lane) * self.lane_w
            works = pygame.Rect(self.left + c.start * self.px_per_m, y + 2, (c.end - c.start) * self.px_per_m, self.lane_w - 4)
            pygame.draw.rect(surface, WORKS, works, border_radius=4)
            for x0 in range(works.left, works.right, 16):
                pygame.draw.line(surface, THEME.background, (x0, works.bottom), (min(works.right, x0 + 10), works.top), 3)

    def _draw_cells(self, surface, inner: float, outer: float) -> None:
        """A line across the lane at every cell boundary (x = k · cell_m)."""
        cx, cy = self.center
        for k in range(int(round(self.road.length / self.cell_m))):
            a = k * self.cell_m / self.road.length * 2 * math.pi
            c, s = math.cos(a), -math.sin(a)
            pygame.draw.line(surface, LANE_MARK, (cx + (inner - 1) * c, cy + (inner - 1) * s),
                             (cx + (outer + 1) * c, cy + (outer + 1) * s), 2)

    def _draw_direction_arrows(self, surface, radius: float) -> None:
        """Curved arrows inside the ring: the way the cars go (anticlockwise), so that 'backwards'
        in the read-out has something to refer to."""
        cx, cy = self.center
        for start in (0.35, 0.35 + math.pi / 2, 0.35 + math.pi, 0.35 + 3 * math.pi / 2):
            angles = np.linspace(start, start + 0.6, 12)
            pts = [(cx + radius * math.cos(a), cy - radius * math.sin(a)) for a in angles]
            pygame.draw.lines(surface, ARROW, False, pts, 5)
            tip = angles[-1]
            tx, ty = cx + radius * math.cos(tip), cy - radius * math.sin(tip)
            fx, fy = -math.sin(tip), -math.cos(tip)          # direction of travel at the tip
            sx, sy = -fy, fx
            pygame.draw.polygon(surface, ARROW, [(tx + fx * 16, ty + fy * 16), (tx + sx * 10, ty + sy * 10),
                                                 (tx - sx * 10, ty - sy * 10)])

    def _draw_ramp(self, surface) -> None:
        ramp = self.road.ramp
        xs = np.linspace(self.road.ramp_start(), ramp.merge_end, 40)
        px, py, _ = self.to_screen(xs, np.full(xs.size, self.road.ramp_lane))
        half = self.lane_w / 2 + 3
        upper = list(zip(px, py - half))
        lower = list(zip(px, py + half))
        pygame.draw.polygon(surface, ROAD, upper + lower[::-1])
        pygame.draw.lines(surface, ROAD_EDGE, False, lower, 3)

    def _draw_light(self, surface, light_green: bool) -> None:
        box = pygame.Rect(0, 0, 44, 84)
        box.center = self.light_pos
        pygame.draw.rect(surface, (20, 20, 24), box, border_radius=10)
        pygame.draw.circle(surface, (235, 60, 60) if not light_green else (70, 40, 40), (box.centerx, box.top + 21), 15)
        pygame.draw.circle(surface, (70, 220, 110) if light_green else (30, 60, 40), (box.centerx, box.bottom - 21), 15)

    def draw_cars(self, surface, x, lane, length, v_kmh, top_kmh, smart, highlight) -> None:
        if x.size == 0:
            return
        corners, px, py = self.car_polygons(x, lane, length)
        colors = speed_colors(v_kmh, top_kmh)
        colors[smart] = SMART_COLOR
        for k in np.flatnonzero(highlight):
            pygame.draw.circle(surface, THEME.text, (int(px[k]), int(py[k])), int(self.lane_w * 0.9), 4)
        pts = corners.round().astype(int).tolist()
        cols = [tuple(c) for c in colors.tolist()]
        for poly, col in zip(pts, cols):
            pygame.draw.polygon(surface, col, poly)
        for k in np.flatnonzero(smart | highlight):
            pygame.draw.polygon(surface, THEME.text, pts[k], 2)
        # a stopped car's second channel: a white bar across it, as a "stop" sign has (a few dozen at most)
        for k in np.flatnonzero((v_kmh < STOPPED_KMH) & ~smart):
            draw_stop_mark(surface, (px[k], py[k]), max(3, int(self.lane_w * 0.28)))

    def hit(self, pos, x, lane, length, radius: float = 45.0) -> int | None:
        """Index of the car nearest to pos within radius px (fingers are wide), else None."""
        if x.size == 0:
            return None
        _, px, py = self.car_polygons(x, lane, length)
        d2 = (px - pos[0]) ** 2 + (py - pos[1]) ** 2
        k = int(np.argmin(d2))
        return k if d2[k] <= radius * radius else None

    def light_hit(self, pos) -> bool:
        p = getattr(self, "light_pos", None)
        return p is not None and (pos[0] - p[0]) ** 2 + (pos[1] - p[1]) ** 2 <= 70 ** 2

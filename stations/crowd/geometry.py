"""Room geometry in metres: walls, obstacles and exits that can change while the crowd walks.

Everything solid is reduced to straight segments (a circle becomes a 16-sided polygon, a closed
exit becomes a wall), so the force code and the safety projection have a single case to handle.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

CIRCLE_SIDES = 16


@dataclass
class Exit:
    name: str
    a: tuple[float, float]
    b: tuple[float, float]
    is_open: bool = True

    @property
    def width(self) -> float:
        return float(np.hypot(self.b[0] - self.a[0], self.b[1] - self.a[1]))

    @property
    def midpoint(self) -> tuple[float, float]:
        return ((self.a[0] + self.b[0]) / 2, (self.a[1] + self.b[1]) / 2)


@dataclass
class Pillar:
    """A circular obstacle (the visitor's pillar or a scenario column)."""

    center: tuple[float, float]
    radius: float
    by_visitor: bool = False


@dataclass
class Geometry:
    """Walls are polylines, polygons are closed obstacles, exits are segments on the room's edge."""

    walls: list[list[tuple[float, float]]] = field(default_factory=list)
    polygons: list[list[tuple[float, float]]] = field(default_factory=list)
    pillars: list[Pillar] = field(default_factory=list)
    exits: list[Exit] = field(default_factory=list)
    visitor_walls: list[list[tuple[float, float]]] = field(default_factory=list)
    version: int = 0  # bumped on every change so that caches (navigation, drawings) know

    # -- edits -------------------------------------------------------------------------------
    def changed(self) -> None:
        self.version += 1

    def add_pillar(self, center: tuple[float, float], radius: float = 0.3, by_visitor: bool = True) -> Pillar:
        pillar = Pillar((float(center[0]), float(center[1])), float(radius), by_visitor)
        self.pillars.append(pillar)
        self.changed()
        return pillar

    def remove_pillar(self, pillar: Pillar) -> None:
        self.pillars.remove(pillar)
        self.changed()

    def add_wall(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        self.visitor_walls.append([(float(a[0]), float(a[1])), (float(b[0]), float(b[1]))])
        self.changed()

    def remove_visitor_wall(self, index: int) -> None:
        del self.visitor_walls[index]
        self.changed()

    def set_exit_open(self, name: str, is_open: bool) -> None:
        for ex in self.exits:
            if ex.name == name and ex.is_open != is_open:
                ex.is_open = is_open
                self.changed()

    def exit_named(self, name: str) -> Exit:
        for ex in self.exits:
            if ex.name == name:
                return ex
        raise KeyError(name)

    def copy(self) -> "Geometry":
        return Geometry(
            walls=[list(w) for w in self.walls],
            polygons=[list(p) for p in self.polygons],
            pillars=[Pillar(p.center, p.radius, p.by_visitor) for p in self.pillars],
            exits=[Exit(e.name, e.a, e.b, e.is_open) for e in self.exits],
            visitor_walls=[list(w) for w in self.visitor_walls],
            version=self.version,
        )

    # -- derived -----------------------------------------------------------------------------
    def segments(self) -> np.ndarray:
        """All solid segments as an (S, 4) array of x1, y1, x2, y2 (closed exits included)."""
        rows: list[tuple[float, float, float, float]] = []
        for line in [*self.walls, *self.visitor_walls]:
            rows += [(*p, *q) for p, q in zip(line[:-1], line[1:])]
        for poly in self.polygons:
            rows += [(*p, *q) for p, q in zip(poly, poly[1:] + poly[:1])]
        for pillar in self.pillars:
            rows += [(*p, *q) for p, q in zip(*_circle_edges(pillar))]
        for ex in self.exits:
            if not ex.is_open:
                rows.append((*ex.a, *ex.b))
        if not rows:
            return np.zeros((0, 4))
        return np.asarray(rows, dtype=float)

    def frames(self) -> np.ndarray:
        """Per row of segments(): True where it can frame a passage (a wall, a door's jamb), False
        for a pillar's edge: people brush the frame of a door they walk through (forces.py,
        brush_A) but keep clear of a column they walk round."""
        pillar_edges = len(self.pillars) * CIRCLE_SIDES
        mask = np.ones(len(self.segments()), bool)
        before = len(mask) - pillar_edges - sum(not ex.is_open for ex in self.exits)
        mask[before:before + pillar_edges] = False
        return mask

    def bounds(self) -> tuple[float, float, float, float]:
        """xmin, ymin, xmax, ymax of everything drawn."""
        pts = [p for line in [*self.walls, *self.polygons, *self.visitor_walls] for p in line]
        pts += [p for ex in self.exits for p in (ex.a, ex.b)]
        pts += [(p.center[0] + s * p.radius, p.center[1] + s * p.radius) for p in self.pillars for s in (-1, 1)]
        arr = np.asarray(pts, dtype=float)
        return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 0].max()), float(arr[:, 1].max())


def _circle_edges(pillar: Pillar) -> tuple[list, list]:
    # The polygon is circumscribed (vertices at r / cos(pi/n)) so that its edges never come
    # closer to the centre than the pillar's radius: the drawn disc is never inside a body.
    angles = np.linspace(0, 2 * np.pi, CIRCLE_SIDES, endpoint=False)
    r = pillar.radius / np.cos(np.pi / CIRCLE_SIDES)
    pts = [(pillar.center[0] + r * np.cos(t), pillar.center[1] + r * np.sin(t)) for t in angles]
    return pts, pts[1:] + pts[:1]


def closest_on_segments(px, py, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Closest point (cx, cy) of segment seg (..., 4: x1, y1, x2, y2) to point (px, py).

    The one closest-point-on-segment of the package: shapes broadcast as numpy does, so one row per
    (point, segment) pair, a (P, S) matrix (px of shape (P, 1) against seg of shape (S, 4)) or a
    single point and segment all go through it. A zero-length segment is its end point.
    """
    ax, ay, bx, by = seg[..., 0], seg[..., 1], seg[..., 2], seg[..., 3]
    ux, uy = bx - ax, by - ay
    length2 = np.maximum(ux * ux + uy * uy, 1e-12)
    t = np.clip(((px - ax) * ux + (py - ay) * uy) / length2, 0.0, 1.0)
    return ax + t * ux, ay + t * uy


def point_segment_distance(points: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """Distance from each of points (P, 2) to each of segments (S, 4): a (P, S) matrix."""
    px, py = points[:, 0:1], points[:, 1:2]
    cx, cy = closest_on_segments(px, py, seg)
    return np.hypot(px - cx, py - cy)


def segment_distance(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance from one point to one segment a-b (a visitor's tap to a door or a wall)."""
    cx, cy = closest_on_segments(p[0], p[1], np.array([*a, *b], dtype=float))
    return float(np.hypot(p[0] - cx, p[1] - cy))


def segments_cross(p0: np.ndarray, p1: np.ndarray, seg: np.ndarray) -> np.ndarray:
    """True where the move p0 -> p1 (M, 2) properly crosses segment seg (M, 4)."""
    def orient(ax, ay, bx, by, cx, cy):
        return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)

    a = seg[:, 0:2]
    b = seg[:, 2:4]
    d1 = orient(a[:, 0], a[:, 1], b[:, 0], b[:, 1], p0[:, 0], p0[:, 1])
    d2 = orient(a[:, 0], a[:, 1], b[:, 0], b[:, 1], p1[:, 0], p1[:, 1])
    d3 = orient(p0[:, 0], p0[:, 1], p1[:, 0], p1[:, 1], a[:, 0], a[:, 1])
    d4 = orient(p0[:, 0], p0[:, 1], p1[:, 0], p1[:, 1], b[:, 0], b[:, 1])
    return (d1 * d2 < 0) & (d3 * d4 < 0)

"""Distance-to-exit fields on a fine grid; agents walk down their gradient.

The grid (default 0.1 m) marks cells closer than `clearance` to a wall as blocked
(scipy.ndimage.distance_transform_edt). A multi-source Dijkstra (scipy.sparse.csgraph) on the grid
graph with 16 neighbours says which free cells reach an open exit of a destination, and which exit
is nearest; the distance itself is marched (scikit-fmm, the eikonal equation) from the exit lines,
so that its gradient, the way people walk, leans to no grid direction (`marched`). Blocked cells
get the distance of their nearest free cell plus the distance to it, so an agent pushed close to a
wall is still guided away from it.

Computing a field takes 10-200 ms: the station has them built off the frame loop
(`fieldbuilder.NavigationBuilder`, a worker process).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage, sparse
from scipy.sparse.csgraph import dijkstra
import skfmm

from .geometry import Geometry, point_segment_distance

NEIGHBOUR_STEPS = [(1, 0), (0, 1), (1, 1), (1, -1), (2, 1), (1, 2), (2, -1), (1, -2)]


@dataclass
class Grid:
    x0: float
    y0: float
    h: float
    nx: int
    ny: int

    def cell(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ix = np.clip(((x - self.x0) / self.h).astype(np.int64), 0, self.nx - 1)
        iy = np.clip(((y - self.y0) / self.h).astype(np.int64), 0, self.ny - 1)
        return ix, iy


@dataclass
class NavigationField:
    """Per destination: distance (D, ny, nx), unit walking direction (D, ny, nx, 2), nearest exit id."""

    grid: Grid
    distance: np.ndarray
    direction: np.ndarray
    nearest_exit: np.ndarray
    version: int

    def lookup(self, group: np.ndarray, x: np.ndarray, y: np.ndarray):
        ix, iy = self.grid.cell(x, y)
        return self.direction[group, iy, ix], self.distance[group, iy, ix], self.nearest_exit[group, iy, ix]

    def reachable(self, group: np.ndarray, pos: np.ndarray) -> np.ndarray:
        """True for each agent that has a way to one of its destination's open exits."""
        ix, iy = self.grid.cell(pos[:, 0], pos[:, 1])
        return np.isfinite(self.distance[group, iy, ix])


def make_grid(bounds: tuple[float, float, float, float], h: float, pad: float) -> Grid:
    xmin, ymin, xmax, ymax = bounds
    x0, y0 = xmin - pad, ymin - pad
    nx = int(np.ceil((xmax + pad - x0) / h))
    ny = int(np.ceil((ymax + pad - y0) / h))
    return Grid(x0, y0, h, nx, ny)


def rasterise_segments(grid: Grid, seg: np.ndarray) -> np.ndarray:
    """Boolean (ny, nx): cells touched by any segment (sampled every h/3)."""
    mask = np.zeros((grid.ny, grid.nx), dtype=bool)
    if len(seg) == 0:
        return mask
    length = np.hypot(seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1])
    counts = np.maximum(2, np.ceil(length / (grid.h / 3)).astype(int) + 1)
    owner = np.repeat(np.arange(len(seg)), counts)
    starts = np.cumsum(counts) - counts
    t = (np.arange(counts.sum()) - np.repeat(starts, counts)) / np.repeat(counts - 1, counts)
    x = seg[owner, 0] + t * (seg[owner, 2] - seg[owner, 0])
    y = seg[owner, 1] + t * (seg[owner, 3] - seg[owner, 1])
    ix, iy = grid.cell(x, y)
    mask[iy, ix] = True
    return mask


def grid_graph(free: np.ndarray, h: float) -> sparse.csr_matrix:
    """Undirected graph over free cells; edge weight = Euclidean step length."""
    ny, nx = free.shape
    index = np.arange(ny * nx).reshape(ny, nx)
    rows, cols, weights = [], [], []
    for dx, dy in NEIGHBOUR_STEPS:
        y0, y1 = max(0, -dy), ny - max(0, dy)
        x0, x1 = max(0, -dx), nx - max(0, dx)

        def at(oy: int, ox: int, arr: np.ndarray = free) -> np.ndarray:
            return arr[y0 + oy:y1 + oy, x0 + ox:x1 + ox]

        ok = at(0, 0) & at(dy, dx)
        # knight moves must not cut a wall corner: the two cells the move passes must be free too
        if abs(dx) == 2:
            ok &= at(0, int(np.sign(dx))) & at(dy, int(np.sign(dx)))
        elif abs(dy) == 2:
            ok &= at(int(np.sign(dy)), 0) & at(int(np.sign(dy)), dx)
        rows.append(at(0, 0, index)[ok])
        cols.append(at(dy, dx, index)[ok])
        weights.append(np.full(int(ok.sum()), h * float(np.hypot(dx, dy))))
    r = np.concatenate(rows)
    c = np.concatenate(cols)
    w = np.concatenate(weights)
    return sparse.csr_matrix((w, (r, c)), shape=(ny * nx, ny * nx))


def marched(grid: Grid, free: np.ndarray, exits: np.ndarray, graph_distance: np.ndarray) -> np.ndarray:
    """The distance to the exit segments (x1, y1, x2, y2) by fast marching (the eikonal equation
    |grad d| = 1 on the free cells, scikit-fmm), where the graph reaches. A graph's distance is a
    polygon's metric, whose gradient leans towards its 16 directions (5° off a corridor built at 30°,
    and people in a crowd then cut across each other's way); the marched one starts from the exit
    line itself, not from its cells' staircase, and follows a corridor at any angle."""
    h = grid.h
    ys, xs = np.mgrid[0:grid.ny, 0:grid.nx]
    centres = np.column_stack([grid.x0 + (xs.ravel() + 0.5) * h, grid.y0 + (ys.ravel() + 0.5) * h])
    to_exit = point_segment_distance(centres, exits).min(axis=1)
    # the zero line: a thin tube round the exits, wide enough to hold cell centres however they lie
    tube = 0.75 * h
    phi = (to_exit - tube).reshape(grid.ny, grid.nx)
    reached = np.isfinite(graph_distance)
    inside = free & reached | (phi <= 0)
    try:
        marched_d = skfmm.distance(np.ma.MaskedArray(phi, ~inside), dx=h)
    except ValueError:           # nothing to march from or to (an exit walled in): the graph's distance
        return graph_distance
    out = np.ma.filled(marched_d, np.inf) + tube
    return np.where(reached, np.maximum(out, 0.0), np.inf)


def build_field(geometry: Geometry, destinations: list[list[str]], *, resolution: float = 0.1,
                clearance: float = 0.2, bounds: tuple[float, float, float, float] | None = None,
                pad: float = 0.3) -> NavigationField:
    """destinations: for each destination, the names of its exits (closed ones are ignored)."""
    grid = make_grid(bounds if bounds is not None else geometry.bounds(), resolution, pad)
    wall_cells = rasterise_segments(grid, geometry.segments())
    wall_dist = ndimage.distance_transform_edt(~wall_cells) * resolution
    free = wall_dist > clearance
    exit_masks = []
    names = [e.name for e in geometry.exits]
    for ex in geometry.exits:
        seg = np.array([[*ex.a, *ex.b]])
        exit_masks.append(rasterise_segments(grid, seg) & ~wall_cells if ex.is_open else None)
    for mask in exit_masks:
        if mask is not None:
            free |= mask
    graph = grid_graph(free, resolution)
    nearest_free = ndimage.distance_transform_edt(~free, return_distances=True, return_indices=True)
    gap, (fy, fx) = nearest_free[0] * resolution, nearest_free[1]
    n_dest = max(1, len(destinations))
    distance = np.full((n_dest, grid.ny, grid.nx), np.inf)
    nearest = np.full((n_dest, grid.ny, grid.nx), -1, dtype=np.int16)
    exit_label = np.full(grid.ny * grid.nx, -1, dtype=np.int16)
    for k, mask in enumerate(exit_masks):
        if mask is not None:
            exit_label[np.flatnonzero(mask)] = k
    for d, exit_names in enumerate(destinations):
        targets = np.concatenate([np.flatnonzero(exit_masks[names.index(n)]) for n in exit_names
                                  if n in names and exit_masks[names.index(n)] is not None] or [np.zeros(0, int)])
        if len(targets) == 0:
            continue
        dist, _, sources = dijkstra(graph, directed=False, indices=targets, min_only=True, return_predecessors=True)
        lines = np.array([[*ex.a, *ex.b] for ex in geometry.exits if ex.name in exit_names and ex.is_open])
        dist = marched(grid, free, lines, dist.reshape(grid.ny, grid.nx))
        src = np.where(sources >= 0, exit_label[np.maximum(sources, 0)], -1).reshape(grid.ny, grid.nx)
        # blocked cells: nearest free cell's distance plus the way to it
        distance[d] = np.where(free, dist, dist[fy, fx] + gap)
        nearest[d] = np.where(free, src, src[fy, fx])
    direction = np.zeros((n_dest, grid.ny, grid.nx, 2))
    for d in range(n_dest):
        finite = np.isfinite(distance[d])
        if not finite.any():
            continue
        big = distance[d][finite].max() + 10 * resolution
        field = np.where(finite, distance[d], big)
        gy, gx = np.gradient(field, resolution)
        norm = np.hypot(gx, gy)
        ok = norm > 1e-9
        direction[d, ..., 0] = np.where(ok, -gx / np.where(ok, norm, 1), 0)
        direction[d, ..., 1] = np.where(ok, -gy / np.where(ok, norm, 1), 0)
    return NavigationField(grid, distance, direction, nearest, geometry.version)

"""Uniform-grid (cell list) neighbour search producing a Verlet list, all in vectorised numpy.

Cells are `reach` = cut-off + skin wide. Each agent is compared with the agents of its own cell and of
four "forward" cells (E, NW, N, NE), so every pair is found exactly once. The list stays valid until
some agent has moved more than skin / 2, after which `VerletList.stale` asks for a rebuild; between
rebuilds the forces only look at the stored pairs.
"""
from __future__ import annotations

import numpy as np

from .geometry import closest_on_segments

FORWARD_CELLS = [(0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)]


def _expand(starts: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For ranges [start, start+count): (owner index, member index), flattened."""
    total = int(counts.sum())
    owner = np.repeat(np.arange(len(counts)), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    return owner, np.repeat(starts, counts) + offsets


def cell_list_pairs(pos: np.ndarray, reach: float, period_x: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All pairs i < j (as two index arrays, each pair once) closer than `reach`.

    With period_x the x axis wraps (positions in [x0, x0 + period_x)): minimum-image distances.
    """
    n = len(pos)
    if n < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    lo = pos.min(axis=0)
    if period_x is not None:
        ncx = max(1, int(period_x // reach))
        cx = np.minimum(((pos[:, 0] - lo[0]) / (period_x / ncx)).astype(np.int64), ncx - 1)
    else:
        cx = ((pos[:, 0] - lo[0]) / reach).astype(np.int64)
        ncx = int(cx.max()) + 1
    cy = ((pos[:, 1] - lo[1]) / reach).astype(np.int64)
    ncy = int(cy.max()) + 1
    cell = cy * ncx + cx
    order = np.argsort(cell, kind="stable")
    sorted_cell = cell[order]
    n_cells = ncx * ncy
    counts_per_cell = np.bincount(sorted_cell, minlength=n_cells)
    start_of_cell = np.cumsum(counts_per_cell) - counts_per_cell
    firsts, seconds = [], []
    wrap_cells = period_x is not None and ncx >= 3
    for dx, dy in FORWARD_CELLS:
        ncx_target = cx + dx
        ncy_target = cy + dy
        if wrap_cells:
            ncx_target = ncx_target % ncx
            valid = (ncy_target >= 0) & (ncy_target < ncy)
        else:
            valid = (ncx_target >= 0) & (ncx_target < ncx) & (ncy_target >= 0) & (ncy_target < ncy)
        agents = np.flatnonzero(valid)
        target = ncy_target[agents] * ncx + ncx_target[agents]
        owner, member = _expand(start_of_cell[target], counts_per_cell[target])
        i = agents[owner]
        j = order[member]
        if (dx, dy) == (0, 0):
            keep = i < j
            i, j = i[keep], j[keep]
        firsts.append(i)
        seconds.append(j)
    i = np.concatenate(firsts)
    j = np.concatenate(seconds)
    if period_x is not None and not wrap_cells:
        # too few cells to wrap safely: fall back to unique pairs of the all-in-one cell set
        keep = i != j
        i, j = np.minimum(i, j)[keep], np.maximum(i, j)[keep]
        uniq = np.unique(i * n + j)
        i, j = uniq // n, uniq % n
    d = pos[i] - pos[j]
    if period_x is not None:
        d[:, 0] -= period_x * np.round(d[:, 0] / period_x)
    close = np.einsum("ij,ij->i", d, d) < reach * reach
    return i[close], j[close]


class VerletList:
    """Pairs within cut-off + skin, rebuilt when an agent has moved more than skin / 2."""

    def __init__(self, cutoff: float, skin: float):
        self.cutoff = cutoff
        self.skin = skin
        self.i = np.zeros(0, np.int64)
        self.j = np.zeros(0, np.int64)
        self._anchor = np.zeros((0, 2))

    def stale(self, pos: np.ndarray, period_x: float | None = None) -> bool:
        if len(pos) != len(self._anchor):
            return True
        d = pos - self._anchor
        if period_x is not None:
            d[:, 0] -= period_x * np.round(d[:, 0] / period_x)
        return bool(np.einsum("ij,ij->i", d, d).max(initial=0.0) > (self.skin / 2) ** 2)

    def rebuild(self, pos: np.ndarray, period_x: float | None = None) -> None:
        self.i, self.j = cell_list_pairs(pos, self.cutoff + self.skin, period_x)
        self._anchor = pos.copy()


def near_segment_pairs(pos: np.ndarray, seg: np.ndarray, reach: float) -> tuple[np.ndarray, np.ndarray]:
    """(agent, segment) index pairs whose distance is below reach.

    Segments are few (tens) and agents many: each segment is tested against the agents inside its
    bounding box grown by `reach`, found by a sort on x (searchsorted), so the cost stays ~ N log N.
    """
    if len(seg) == 0 or len(pos) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(pos[:, 0], kind="stable")
    xs = pos[order, 0]
    x_lo = np.minimum(seg[:, 0], seg[:, 2]) - reach
    x_hi = np.maximum(seg[:, 0], seg[:, 2]) + reach
    starts = np.searchsorted(xs, x_lo, side="left")
    stops = np.searchsorted(xs, x_hi, side="right")
    owner, member = _expand(starts, stops - starts)
    agent = order[member]
    s = seg[owner]
    px, py = pos[agent, 0], pos[agent, 1]
    y_lo = np.minimum(s[:, 1], s[:, 3]) - reach
    y_hi = np.maximum(s[:, 1], s[:, 3]) + reach
    inside = (py >= y_lo) & (py <= y_hi)
    agent, owner, s = agent[inside], owner[inside], s[inside]
    cx, cy = closest_on_segments(px[inside], py[inside], s)
    dist2 = (px[inside] - cx) ** 2 + (py[inside] - cy) ** 2
    close = dist2 < reach * reach
    return agent[close], owner[close]

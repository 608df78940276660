"""What the forces alone do not guarantee, enforced after each step: bodies never overlap more than a
limit (panic speeds only), and no centre ever comes closer to a wall than its clearance or crosses it.
Both move people in place (`pos`, `vel`, arrays of the model) and remove the velocity that pushed them."""
from __future__ import annotations

import numpy as np

from .forces import wall_normals
from .geometry import segments_cross


def separate_bodies(pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, i: np.ndarray, j: np.ndarray,
                    period_x: float | None, max_overlap: float) -> None:
    """Panic only: people colliding at 5-6 m/s would compress each other by 0.3-0.4 m with Helbing's k;
    any pair (i, j) overlapping more than `max_overlap` is moved apart (half each) and their approaching
    velocity removed, like the wall projection."""
    d = pos[i] - pos[j]
    if period_x is not None:
        d[:, 0] -= period_x * np.round(d[:, 0] / period_x)
    dist = np.sqrt((d * d).sum(axis=1))
    excess = radius[i] + radius[j] - dist - max_overlap
    bad = excess > 0
    if not bad.any():
        return
    i, j, d, dist, excess = i[bad], j[bad], d[bad], np.maximum(dist[bad], 1e-9), excess[bad]
    n = d / dist[:, None]
    n_agents = len(pos)
    for axis in (0, 1):
        push = 0.5 * excess * n[:, axis]
        pos[:, axis] += np.bincount(i, push, n_agents) - np.bincount(j, push, n_agents)
    closing = ((vel[i] - vel[j]) * n).sum(axis=1)
    closing = np.minimum(closing, 0.0) * 0.5
    for axis in (0, 1):
        dv = closing * n[:, axis]
        vel[:, axis] += -np.bincount(i, dv, n_agents) + np.bincount(j, dv, n_agents)


def project_out_of_walls(pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, previous: np.ndarray,
                         near: tuple[np.ndarray, np.ndarray, np.ndarray], clearance: float,
                         overlap_limit: float | None) -> int:
    """Keep every centre at least `clearance` x radius from the walls near it (`near`: agent and segment
    indices of the pairs, and the segments), or radius - `overlap_limit` when that is more; put anyone
    whose step crossed a wall back where they were, standing. Returns how many crossed (never expected:
    counted so that tests can prove it stays at zero)."""
    a, s, segments = near
    if len(a) == 0:
        return 0
    seg = segments[s]
    nx, ny, dist = wall_normals(pos[a], seg)
    clear = clearance * radius[a]
    if overlap_limit is not None:
        clear = np.maximum(clear, radius[a] - overlap_limit)
    short = clear - dist
    bad = short > 0
    if bad.any():
        n = len(pos)
        ab, pb = a[bad], short[bad]
        pos[:, 0] += np.bincount(ab, pb * nx[bad], n)
        pos[:, 1] += np.bincount(ab, pb * ny[bad], n)
        inward = vel[ab, 0] * nx[bad] + vel[ab, 1] * ny[bad]
        inward = np.minimum(inward, 0.0)
        vel[:, 0] -= np.bincount(ab, inward * nx[bad], n)
        vel[:, 1] -= np.bincount(ab, inward * ny[bad], n)
    crossed = segments_cross(previous[a], pos[a], seg)
    if not crossed.any():
        return 0
    agents = np.unique(a[crossed])
    pos[agents] = previous[agents]
    vel[agents] = 0.0
    return len(agents)

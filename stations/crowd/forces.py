"""The social forces of Helbing, Farkas & Vicsek (Nature 407, 2000), as pure vectorised functions.

Symbols follow the paper: for agents i, j with radii r_i, r_j, r_ij = r_i + r_j, centre distance d_ij,
unit vector n_ij from j to i and tangent t_ij = (-n2, n1):

    f_ij = {A exp[(r_ij - d_ij)/B] + k g(r_ij - d_ij)} n_ij + kappa g(r_ij - d_ij) dv^t_ji t_ij
    f_iW = {A exp[(r_i - d_iW)/B] + k g(r_i - d_iW)} n_iW - kappa g(r_i - d_iW) (v_i . t_iW) t_iW

g(x) = x when bodies touch (x > 0), else 0. The exponential is shifted by its value at the cut-off
distance so the force goes to zero continuously there (the cut-off is where it has fallen below 4 N,
2 % of a walker's driving force).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .geometry import closest_on_segments


@dataclass(frozen=True)
class ForceLaw:
    A: float = 2000.0          # N, repulsion strength
    B: float = 0.08            # m, repulsion range
    k: float = 1.2e5           # kg/s^2, body compression
    kappa: float = 2.4e5       # kg/(m s), sliding friction
    cutoff: float = 1.2        # m, centre distance beyond which agents ignore each other
    anisotropy: float = 1.0    # lambda: weight of what is behind (1 = isotropic, as in the 2000 paper)
    A_social: float = 0.0      # N, optional longer-range avoidance (Helbing & Molnar 1995 style)
    B_social: float = 0.3      # m
    social_anisotropy: float = 0.3
    side_preference: float = 0.0   # N, sidestep to the right before someone walking the other way
    side_range: float = 0.5        # m, range of that sidestep's exponential
    wall_A: float | None = None    # N, repulsion strength of walls (None: A, as between people)
    wall_B: float | None = None    # m, repulsion range of walls (None: B)
    brush_A: float | None = None   # N, the walls' repulsion in a narrow passage (None: as elsewhere)
    brush_B: float | None = None   # m, its range


def pair_forces(law: ForceLaw, pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, heading: np.ndarray,
                i: np.ndarray, j: np.ndarray, period_x: float | None) -> tuple[np.ndarray, float]:
    """Total pair force on every agent (N, 2) and the largest body overlap (m)."""
    n_agents = len(pos)
    dx = pos[i, 0] - pos[j, 0]
    dy = pos[i, 1] - pos[j, 1]
    if period_x is not None:
        dx -= period_x * np.round(dx / period_x)
    dist = np.sqrt(dx * dx + dy * dy)
    near = dist < law.cutoff
    if not near.all():
        i, j, dx, dy, dist = i[near], j[near], dx[near], dy[near], dist[near]
    dist = np.maximum(dist, 1e-6)
    nx = dx / dist
    ny = dy / dist
    r_ij = radius[i] + radius[j]
    overlap = r_ij - dist
    repulsion = law.A * (np.exp(overlap / law.B) - np.exp((r_ij - law.cutoff) / law.B))
    contact = np.maximum(overlap, 0.0)
    body = law.k * contact
    # tangential velocity difference dv^t_ji = (v_j - v_i) . t_ij with t_ij = (-ny, nx)
    dvt = (vel[j, 1] - vel[i, 1]) * nx - (vel[j, 0] - vel[i, 0]) * ny
    friction = law.kappa * contact * dvt
    if law.anisotropy < 1.0:
        lam = law.anisotropy
        # cos(phi_ij) = e_i . (-n_ij): the other is ahead of i when positive
        cos_i = -(heading[i, 0] * nx + heading[i, 1] * ny)
        cos_j = heading[j, 0] * nx + heading[j, 1] * ny
        rep_i = repulsion * (lam + (1 - lam) * (1 + cos_i) / 2)
        rep_j = repulsion * (lam + (1 - lam) * (1 + cos_j) / 2)
    else:
        rep_i = rep_j = repulsion
    if law.A_social > 0:
        # seen mostly ahead: weight lambda + (1 - lambda)(1 + cos phi)/2 with the social lambda
        social = law.A_social * (np.exp((r_ij - dist) / law.B_social) - np.exp((r_ij - law.cutoff) / law.B_social))
        lam = law.social_anisotropy
        cos_i = -(heading[i, 0] * nx + heading[i, 1] * ny)
        cos_j = heading[j, 0] * nx + heading[j, 1] * ny
        rep_i = rep_i + social * (lam + (1 - lam) * (1 + cos_i) / 2)
        rep_j = rep_j + social * (lam + (1 - lam) * (1 + cos_j) / 2)
    if law.side_preference > 0:
        # Oncoming people (ahead and walking the other way) make each other step to their own
        # right: the "keep right" bias of Helbing, Molnar, Farkas & Bolay (2001) that breaks the
        # left/right symmetry of avoidance and lets lanes settle in seconds rather than minutes.
        ahead_i = np.maximum(-(heading[i, 0] * nx + heading[i, 1] * ny), 0.0)
        ahead_j = np.maximum(heading[j, 0] * nx + heading[j, 1] * ny, 0.0)
        facing = np.maximum(-(heading[i, 0] * heading[j, 0] + heading[i, 1] * heading[j, 1]), 0.0)
        side = law.side_preference * facing * (np.exp((r_ij - dist) / law.side_range)
                                               - np.exp((r_ij - law.cutoff) / law.side_range))
        side_i = side * ahead_i
        side_j = side * ahead_j
        # right of a heading (hx, hy) is (hy, -hx)
        extra = np.empty((n_agents, 2))
        extra[:, 0] = np.bincount(i, side_i * heading[i, 1], n_agents) + np.bincount(j, side_j * heading[j, 1], n_agents)
        extra[:, 1] = -np.bincount(i, side_i * heading[i, 0], n_agents) - np.bincount(j, side_j * heading[j, 0], n_agents)
    else:
        extra = None
    tfx = -friction * ny
    tfy = friction * nx
    fx_i = (rep_i + body) * nx + tfx
    fy_i = (rep_i + body) * ny + tfy
    fx_j = -(rep_j + body) * nx - tfx
    fy_j = -(rep_j + body) * ny - tfy
    force = np.empty((n_agents, 2))
    force[:, 0] = np.bincount(i, fx_i, n_agents) + np.bincount(j, fx_j, n_agents)
    force[:, 1] = np.bincount(i, fy_i, n_agents) + np.bincount(j, fy_j, n_agents)
    if extra is not None:
        force += extra
    return force, float(overlap.max(initial=0.0))


def wall_forces(law: ForceLaw, pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, seg: np.ndarray,
                a: np.ndarray, s: np.ndarray, brushing: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """Total wall force on every agent (N, 2) and the largest overlap of a body with a wall (m).
    brushing: per agent, how far (0-1) they are in a narrow passage, where the walls repel with
    brush_A, brush_B (people brush a door's frame but keep their distance from a corridor's walls)."""
    n_agents = len(pos)
    force = np.zeros((n_agents, 2))
    if len(a) == 0:
        return force, 0.0
    nx, ny, dist = wall_normals(pos[a], seg[s])
    r = radius[a]
    overlap = r - dist
    strength = law.A if law.wall_A is None else law.wall_A
    reach = law.B if law.wall_B is None else law.wall_B
    repulsion = strength * np.maximum(np.exp(overlap / reach) - np.exp((r - law.cutoff) / reach), 0.0)
    if brushing is not None and law.brush_A is not None:
        share = brushing[a]
        brushed = law.brush_A * np.maximum(np.exp(overlap / law.brush_B) - np.exp((r - law.cutoff) / law.brush_B), 0.0)
        repulsion = (1.0 - share) * repulsion + share * brushed
    contact = np.maximum(overlap, 0.0)
    normal = repulsion + law.k * contact
    vt = -vel[a, 0] * ny + vel[a, 1] * nx     # v_i . t_iW
    friction = law.kappa * contact * vt
    fx = normal * nx + friction * ny            # - friction * t_x, t = (-ny, nx)
    fy = normal * ny - friction * nx
    force[:, 0] = np.bincount(a, fx, n_agents)
    force[:, 1] = np.bincount(a, fy, n_agents)
    return force, float(overlap.max(initial=0.0))


def passage_widths(pos: np.ndarray, seg: np.ndarray, a: np.ndarray, s: np.ndarray) -> np.ndarray:
    """Per agent, the width of the passage they stand in: the distance to the nearest wall plus the
    distance to the nearest wall across from them (normals more than 60° apart: the other jamb of a
    door, also from its mouth); inf without one among the (agent a, segment s) pairs listed."""
    width = np.full(len(pos), np.inf)
    if len(a) == 0:
        return width
    nx, ny, dist = wall_normals(pos[a], seg[s])
    order = np.lexsort((dist, a))
    first = np.ones(len(order), bool)
    first[1:] = a[order[1:]] != a[order[:-1]]
    nearest = np.full(len(pos), -1)
    nearest[a[order[first]]] = order[first]
    k = nearest[a]
    facing = (nx * nx[k] + ny * ny[k]) < 0.5
    across = np.full(len(pos), np.inf)
    np.minimum.at(across, a[facing], dist[facing])
    has = nearest >= 0
    width[has] = dist[nearest[has]] + across[has]
    return width


def wall_normals(p: np.ndarray, seg: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit normal from the closest wall point to p, and the distance (one row per (p, seg) pair)."""
    cx, cy = closest_on_segments(p[:, 0], p[:, 1], seg)
    dx = p[:, 0] - cx
    dy = p[:, 1] - cy
    dist = np.sqrt(dx * dx + dy * dy)
    safe = np.maximum(dist, 1e-9)
    nx, ny = dx / safe, dy / safe
    on_line = dist < 1e-9
    if on_line.any():  # exactly on the wall: use the segment's own normal
        ux, uy = seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]
        length = np.maximum(np.sqrt(ux * ux + uy * uy), 1e-12)
        nx = np.where(on_line, -uy / length, nx)
        ny = np.where(on_line, ux / length, ny)
    return nx, ny, dist

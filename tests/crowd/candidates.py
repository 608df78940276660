"""Candidate pedestrian models measured against the default one (figures in stations/crowd/README.md,
"Candidates"). Each is a CrowdModel whose target velocity (or extra force) follows one published
rule; `build(scenario, variant, ...)` makes one. Kept in the tests: only the default and the 2000
model are in the product, with the opt-in habits that `evasion` and the `stream*` sets switch on.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from stations.crowd.model import CrowdModel
from stations.crowd.navigation import rasterise_segments
from stations.crowd.neighbours import cell_list_pairs, near_segment_pairs
from stations.crowd.steering import look_ahead


@dataclass(frozen=True)
class Vision:
    vision: float = 5.0            # m, how far people look for someone coming the other way
    cell: float = 0.5              # m, the grid on which the others' positions and ways are read
    widest: float = 60.0           # degrees: headings considered either side of the way
    headings: int = 7              # candidate headings (every 20 degrees)
    lateral: int = 1               # cells either side of a ray also read (the ray is a body wide)


class GridVision(CrowdModel):
    """Moussaïd, Helbing & Theraulaz (2011), first heuristic, read on a grid: of a few headings
    around the way, the one that gets farthest along it before meeting someone walking the other
    way or a wall; speed by the default headway rule."""

    vision_law = Vision()

    def _clear_mask(self):
        if getattr(self, "_clear_key", None) != self.geometry.version:
            grid = self.navigation.grid
            walls = rasterise_segments(grid, self.geometry.segments())
            self._clear = ndimage.distance_transform_edt(~walls) * grid.h > 0.2
            self._clear_key = self.geometry.version
        grid, clear = self.navigation.grid, self._clear

        def lookup(x, y):
            ix, iy = grid.cell(x, y)
            return clear[iy, ix]
        return lookup

    def _target_velocity(self, heading, v0):
        if len(self._target) != self.count or self.time + 1e-9 >= self._next_look:
            g = self.navigation.grid
            bounds = (g.x0, g.y0, g.x0 + g.nx * g.h, g.y0 + g.ny * g.h)
            if self.period is not None:
                bounds = (self.period[0], bounds[1], self.period[1], bounds[3])
            chosen = _choose_heading(self.vision_law, self.pos, self.vel, heading, self._clear_mask(), bounds,
                                     self.period_x)
            self._target = look_ahead(self.steering, self.pos, self.radius, chosen, v0, self.verlet.i,
                                      self.verlet.j, self.period_x)
            self._next_look = self.time + self.steering.period
        return self._target


def _choose_heading(law: Vision, pos: np.ndarray, vel: np.ndarray, desired: np.ndarray, clear,
                    bounds: tuple[float, float, float, float], period_x: float | None) -> np.ndarray:
    """Of a few headings around the way to the exit, the one that gets farthest along that way
    before meeting someone who walks the other way or a wall (Moussaïd et al.'s first heuristic,
    read on a grid: per cell, how many people and the sum of their walking directions)."""
    n = len(pos)
    h = law.cell
    x0, y0, x1, y1 = bounds
    x0, y0 = x0 - law.vision, y0 - law.vision
    nx = int(np.ceil((x1 + law.vision - x0) / h)) + 1
    ny = int(np.ceil((y1 + law.vision - y0) / h)) + 1
    if period_x is not None:
        x0, nx = bounds[0], max(1, int(round(period_x / h)))

    def cell(x, y):
        if period_x is not None:
            cx = np.mod(np.floor((x - x0) / (period_x / nx)).astype(np.int64), nx)
        else:
            cx = np.clip(np.floor((x - x0) / h).astype(np.int64), 0, nx - 1)
        return np.clip(np.floor((y - y0) / h).astype(np.int64), 0, ny - 1) * nx + cx

    speed = np.sqrt((vel * vel).sum(axis=1))
    moving = speed > 0.1
    ux = np.where(moving, vel[:, 0] / np.where(moving, speed, 1.0), 0.0)
    uy = np.where(moving, vel[:, 1] / np.where(moving, speed, 1.0), 0.0)
    own = cell(pos[:, 0], pos[:, 1])
    count = np.bincount(own, minlength=nx * ny).astype(float)
    flow_x = np.bincount(own, ux, nx * ny)
    flow_y = np.bincount(own, uy, nx * ny)
    # candidate headings, straight on first (ties keep it)
    steps = np.arange(1, law.headings // 2 + 1) * np.radians(law.widest) / max(1, law.headings // 2)
    angles = np.concatenate([[0.0], np.ravel(np.c_[steps, -steps])])
    cos_k, sin_k = np.cos(angles), np.sin(angles)
    hx = desired[:, 0, None] * cos_k - desired[:, 1, None] * sin_k      # (N, K)
    hy = desired[:, 0, None] * sin_k + desired[:, 1, None] * cos_k
    free = np.full(hx.shape, law.vision)
    blocked_before = np.zeros(hx.shape, bool)
    for s in np.arange(h, law.vision + 1e-9, h):
        sx = pos[:, 0, None] + s * hx
        sy = pos[:, 1, None] + s * hy
        against = np.zeros(hx.shape)
        for side in range(-law.lateral, law.lateral + 1):
            c = cell(sx - side * h * hy, sy + side * h * hx)
            # people there walking against this heading: (count - flow . heading) / 2, 0 to count
            against += 0.5 * (count[c] - flow_x[c] * hx - flow_y[c] * hy)
        wall = ~clear(np.mod(sx - bounds[0], period_x) + bounds[0] if period_x is not None else sx, sy)
        stop = (against >= 0.5) | wall
        newly = stop & ~blocked_before
        free[newly] = s - h
        blocked_before |= stop
    progress = free * cos_k + 0.05 * free     # all blocked: the freest (a sidestep into a gap)
    best = np.argmax(progress, axis=1)
    out = np.c_[hx[np.arange(n), best], hy[np.arange(n), best]]
    out[np.abs(desired).sum(axis=1) == 0] = 0.0
    return out


class PairVision(CrowdModel):
    """Moussaïd, Helbing & Theraulaz (2011), first heuristic with moving obstacles: of `headings`
    headings within `widest` degrees of the way, the one that brings the walker closest to where
    it goes (Moussaïd's d(alpha)) walking at v0 until the first collision with someone who keeps
    their velocity, within `reach` m (only people going elsewhere beyond the neighbour list's
    reach when far_others_only); speed by the default headway rule."""

    reach, widest, headings, far_others_only = 5.0, 80.0, 9, False

    def _target_velocity(self, heading, v0):
        if len(self._target) != self.count or self.time + 1e-9 >= self._next_look:
            if self.far_others_only:
                i, j = self.verlet.i, self.verlet.j
                if len(np.unique(self.group)) > 1:
                    fi, fj = cell_list_pairs(self.pos, self.reach, self.period_x)
                    other = self.group[fi] != self.group[fj]
                    i, j = np.concatenate([i, fi[other]]), np.concatenate([j, fj[other]])
            else:
                i, j = cell_list_pairs(self.pos, self.reach, self.period_x)
            chosen = _pair_heading(self, heading, v0, i, j)
            self._target = look_ahead(self.steering, self.pos, self.radius, chosen, v0, self.verlet.i,
                                      self.verlet.j, self.period_x)
            self._next_look = self.time + self.steering.period
        return self._target


def _pair_heading(m: PairVision, desired, v0, i, j):
    n = len(m.pos)
    a, b = np.concatenate([i, j]), np.concatenate([j, i])
    dx = m.pos[b, 0] - m.pos[a, 0]
    dy = m.pos[b, 1] - m.pos[a, 1]
    if m.period_x is not None:
        dx -= m.period_x * np.round(dx / m.period_x)
    dist = np.sqrt(dx * dx + dy * dy)
    seen = desired[a, 0] * dx + desired[a, 1] * dy > -np.sin(np.radians(m.widest)) * dist
    a, b, dx, dy = a[seen], b[seen], dx[seen], dy[seen]
    contact = m.radius[a] + m.radius[b]
    angles = np.radians(np.linspace(-m.widest, m.widest, m.headings))
    angles = angles[np.argsort(np.abs(angles), kind="stable")]       # straight on first: ties keep it
    cos_k, sin_k = np.cos(angles), np.sin(angles)
    hx = desired[:, 0, None] * cos_k - desired[:, 1, None] * sin_k
    hy = desired[:, 0, None] * sin_k + desired[:, 1, None] * cos_k
    wx = m.vel[b, 0, None] - v0[a, None] * hx[a]
    wy = m.vel[b, 1, None] - v0[a, None] * hy[a]
    qa = wx * wx + wy * wy
    qb = dx[:, None] * wx + dy[:, None] * wy
    qc = (dx * dx + dy * dy - contact * contact)[:, None]
    disc = qb * qb - qa * qc
    hit = (qb < 0) & (disc > 0)
    t_hit = np.where(hit, (-qb - np.sqrt(np.maximum(disc, 0.0))) / np.maximum(qa, 1e-12), np.inf)
    t_hit = np.where(qc <= 0, np.where(qb < 0, 0.0, np.inf), t_hit)
    horizon = m.reach
    free = np.full((n, len(angles)), horizon)
    rows = (a[:, None] * len(angles) + np.arange(len(angles))).reshape(-1)
    np.minimum.at(free.reshape(-1), rows, np.minimum(v0[a, None] * np.maximum(t_hit, 0.0), horizon).reshape(-1))
    free = np.minimum(free, _wall_free(m, hx, hy, horizon))
    left = horizon ** 2 + free ** 2 - 2 * horizon * free * cos_k
    best = np.argmin(left, axis=1)
    out = np.c_[hx[np.arange(n), best], hy[np.arange(n), best]]
    out[np.abs(desired).sum(axis=1) == 0] = 0.0
    return out


def _wall_free(m: CrowdModel, hx, hy, horizon):
    """(N, K): how far along each heading before the body touches a wall."""
    out = np.full(hx.shape, horizon)
    walls = m._wall_seg
    if len(walls) == 0:
        return out
    agent, s = near_segment_pairs(m.pos, walls, horizon)
    if len(agent) == 0:
        return out
    seg = walls[s]
    ax, ay = seg[:, 0] - m.pos[agent, 0], seg[:, 1] - m.pos[agent, 1]
    ex, ey = seg[:, 2] - seg[:, 0], seg[:, 3] - seg[:, 1]
    length = np.maximum(np.sqrt(ex * ex + ey * ey), 1e-12)
    nx, ny = -ey / length, ex / length
    towards = np.where(nx * ax + ny * ay > 0, -1.0, 1.0)
    ax = ax + towards * nx * m.radius[agent]
    ay = ay + towards * ny * m.radius[agent]
    rx, ry = hx[agent], hy[agent]
    denom = rx * ey[:, None] - ry * ex[:, None]
    ok = np.abs(denom) > 1e-12
    safe = np.where(ok, denom, 1.0)
    t = (ax[:, None] * ey[:, None] - ay[:, None] * ex[:, None]) / safe
    u = (ax[:, None] * ry - ay[:, None] * rx) / safe
    hit = ok & (t >= 0) & (u >= 0) & (u <= 1)
    rows = (agent[:, None] * hx.shape[1] + np.arange(hx.shape[1])).reshape(-1)
    np.minimum.at(out.reshape(-1), rows, np.where(hit, np.minimum(t, horizon), horizon).reshape(-1))
    return out


class PairVisionFar(PairVision):
    far_others_only = True


VARIANTS: dict[str, type[CrowdModel]] = {"grid-vision": GridVision, "pair-vision": PairVision,
                                         "pair-vision-far": PairVisionFar}


# The headway rule with discs a body deep (0.3-0.4 m across: people turn their shoulders to pass)
# and the time gap counted from disc to disc (README, "Candidates": its figures)
BODY_DEEP = {"walking": "headway", "radius_min": 0.15, "radius_max": 0.2, "body_depth": 1.0}


# body-deep, people stepping aside for oncoming people 4 m ahead and falling in behind the one ahead
# who walks their way (stations/crowd/evasion.py), keeping 0.2 s to someone coming the other way
# in their path (not pressing into them), the random force only for people standing still (it
# broke the lanes of walkers), A = 1000 N, a shorter time gap (0.6 s; 0.2 s to someone partly in
# the way). README, "Candidates": lanes without keep right, and its figures.
EVASION = {**BODY_DEEP, "A": 1000.0, "time_gap": 0.6, "short_gap": 0.2, "oncoming_gap": 0.2, "evade_reach": 4.0,
           "follow": 2.0, "fidget_below": 0.3}


# evasion, with walls that people brush instead of fearing them like faces (250 N, 0.02 m: a 0.8 m
# door was walked in single file on its centre line, the jambs pushing 730 N at 2.5 cm), discs
# counted half as deep for the time gap (body_depth 0.5: shoulders turn in a zipper), a longer time
# gap (1.0 s) to someone straight ahead, "straight ahead" up to 0.65 of the contact width
# (headway_core) and 0.1 s to someone only partly in the way. README, "Candidates": its figures.
WALK_B = {**EVASION, "wall_A": 250.0, "wall_B": 0.02, "time_gap": 1.0, "body_depth": 0.5, "headway_core": 0.65,
          "short_gap": 0.1}


# evasion, people pushing in proportion to the crowd's hurry (steering.py, `push_by_hurry`): a calm
# crowd keeps its gaps, a hurried one presses on the door from 1.34 m/s on (README, Validation 4:
# faster-is-slower in the *Évacuation* room)
EVASION_HURRY = {**EVASION, "push_from": 1.34, "push_by_hurry": True}


def model_class(variant: str | None) -> type[CrowdModel]:
    return CrowdModel if variant is None else VARIANTS[variant]


def overrides(variant: str) -> tuple[type[CrowdModel], dict]:
    """'helbing2000', 'headway', 'body-deep', 'evasion', 'walk-b', 'evasion-hurry' or a candidate above (which all walk at the headway
    rule's speed)."""
    if variant in ("helbing2000", "headway", "anticipating"):
        return CrowdModel, {"walking": variant}
    if variant == "body-deep":
        return CrowdModel, BODY_DEEP
    if variant == "evasion":
        return CrowdModel, EVASION
    if variant == "walk-b":
        return CrowdModel, WALK_B
    if variant in STREAMS:
        return CrowdModel, STREAMS[variant]
    if variant == "evasion-hurry":
        return CrowdModel, EVASION_HURRY
    return VARIANTS[variant], {"walking": "headway"}


class RepelledHeading(CrowdModel):
    """The collision-free speed model's direction (Tordeux, Chraibi & Seyfried 2016, JuPedSim's
    defaults): the way to the exit plus strength x exp((r_i + r_j - d) / range) away from every
    neighbour, normalised; speed by the default headway rule."""

    strength, range = 8.0, 0.1

    def _target_velocity(self, heading, v0):
        if len(self._target) != self.count or self.time + 1e-9 >= self._next_look:
            i, j = self.verlet.i, self.verlet.j
            dx = self.pos[i, 0] - self.pos[j, 0]
            dy = self.pos[i, 1] - self.pos[j, 1]
            if self.period_x is not None:
                dx -= self.period_x * np.round(dx / self.period_x)
            dist = np.maximum(np.sqrt(dx * dx + dy * dy), 1e-9)
            push = self.strength * np.exp((self.radius[i] + self.radius[j] - dist) / self.range) / dist
            n = self.count
            wx = heading[:, 0] + np.bincount(i, push * dx, n) - np.bincount(j, push * dx, n)
            wy = heading[:, 1] + np.bincount(i, push * dy, n) - np.bincount(j, push * dy, n)
            norm = np.sqrt(wx * wx + wy * wy)
            moving = (norm > 1e-9) & (np.abs(heading).sum(axis=1) > 0)
            chosen = np.where(moving[:, None], np.c_[wx, wy] / np.where(moving, norm, 1.0)[:, None], 0.0)
            self._target = look_ahead(self.steering, self.pos, self.radius, chosen, v0, i, j, self.period_x)
            self._next_look = self.time + self.steering.period
        return self._target


VARIANTS["repelled-heading"] = RepelledHeading


# -- Karamouzas, Skinner & Guy (Phys. Rev. Lett. 113, 238701, 2014): the time-to-collision interaction.
# For two people i, j (centres x, velocities v, radii summing to r) the time to collision tau is the
# smallest t > 0 with |(x_j - x_i) - (v_i - v_j) t| = r. The energy E = k / tau² exp(-tau / tau0)
# pushes them apart along its gradient in their relative position x_ij = x_i - x_j:
#     a_i = -grad E = -k exp(-tau/tau0) / (|v|² tau²) (2/tau + 1/tau0) (v - (b v - |v|² w) / sqrt(D))
# with w = x_j - x_i, v = v_i - v_j, b = w.v, D = b² - |v|² (|w|² - r²) (the paper's supplement).
# Its range is set by tau0 (3 s: people metres away count), so it runs on its own wider neighbour
# list every `period` s and is held in between. Measured as a candidate (README, "Candidates").

@dataclass(frozen=True)
class Anticipation:
    strength: float = 1.5          # k, m²/s² (Karamouzas, Skinner & Guy 2014)
    horizon: float = 3.0           # tau0, s: collisions further off in time hardly count
    reach: float = 3.0             # m, neighbours considered
    period: float = 0.1            # s between two evaluations (a reaction time)
    max_accel: float = 5.0         # m/s², the largest avoidance a walker makes (the paper caps it)
    others_only: bool = False      # True: people walking the same way are left to the headway rule


def avoidance(law: Anticipation, pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, heading: np.ndarray,
              i: np.ndarray, j: np.ndarray, period_x: float | None) -> np.ndarray:
    """Acceleration (N, 2) of every person away from their coming collisions (with `others_only`,
    only with people walking another way; heading: unit ways to the exit); i, j: pairs, each once."""
    n = len(pos)
    if law.others_only:
        other = heading[i, 0] * heading[j, 0] + heading[i, 1] * heading[j, 1] <= 0.0
        i, j = i[other], j[other]
    wx = pos[j, 0] - pos[i, 0]
    wy = pos[j, 1] - pos[i, 1]
    if period_x is not None:
        wx -= period_x * np.round(wx / period_x)
    vx = vel[i, 0] - vel[j, 0]
    vy = vel[i, 1] - vel[j, 1]
    r = radius[i] + radius[j]
    a = vx * vx + vy * vy
    b = wx * vx + wy * vy
    c = wx * wx + wy * wy - r * r
    disc = b * b - a * c
    # closing in (b > 0), on course for contact (disc > 0), not touching yet (c > 0)
    live = (b > 0) & (disc > 0) & (c > 0) & (a > 1e-6)
    i, j, wx, wy, vx, vy, a, b, disc = (x[live] for x in (i, j, wx, wy, vx, vy, a, b, disc))
    root = np.sqrt(disc)
    tau = (b - root) / a
    scale = -law.strength * np.exp(-tau / law.horizon) / (a * tau * tau) * (2 / tau + 1 / law.horizon)
    gx = scale * (vx - (b * vx - a * wx) / root)
    gy = scale * (vy - (b * vy - a * wy) / root)
    acc = np.empty((n, 2))
    acc[:, 0] = np.bincount(i, gx, n) - np.bincount(j, gx, n)
    acc[:, 1] = np.bincount(i, gy, n) - np.bincount(j, gy, n)
    size = np.sqrt((acc * acc).sum(axis=1))
    over = size > law.max_accel
    acc[over] *= (law.max_accel / size[over])[:, None]
    return acc


class TimeToCollision(CrowdModel):
    """The headway rule plus Karamouzas, Skinner & Guy's anticipation, added to the target velocity
    as tau x acceleration (the same as adding m x acceleration to the force)."""

    anticipation = Anticipation()

    def _target_velocity(self, heading, v0):
        target = super()._target_velocity(heading, v0)
        law = self.anticipation
        if len(getattr(self, "_avoid", ())) != self.count or self.time + 1e-9 >= getattr(self, "_next_avoid", 0.0):
            i, j = cell_list_pairs(self.pos, law.reach, self.period_x)
            self._avoid = avoidance(law, self.pos, self.vel, self.radius, heading, i, j, self.period_x)
            self._next_avoid = self.time + law.period
        return target + self.tau * self._avoid


VARIANTS["time-to-collision"] = TimeToCollision


# -- Joining one's stream (2026-12-07, on `evasion`; stations/crowd/streams.py, README "Candidates"):
# parameter sets of the product's opt-in habits. `stream`: drifting towards the side where, 1-5 m
# ahead, the crowd faces one's way; `stream-imitate`: also taking on the sideways drift of the
# people straight ahead; `stream-wide`: sidesteps up to 0.8 x the desired speed (0.5 before);
# `stream-join-follow`: also drifting towards one's own group 2-10 m ahead, in full from 2 P/m²;
# `stream-join`: the same without `evasion`'s falling in behind the one ahead (which queued fast
# walkers behind slow ones: the lanes now hold without it), the drift towards one's group at 3/s.

STREAMS = {"stream": {**EVASION, "stream_pull": 1.0}}
STREAMS["stream-imitate"] = {**STREAMS["stream"], "stream_imitate": 2.0}
STREAMS["stream-wide"] = {**STREAMS["stream-imitate"], "sidestep_max": 0.8}
STREAMS["stream-join-follow"] = {**STREAMS["stream-wide"], "stream_join": 2.0}
STREAMS["stream-join"] = {**STREAMS["stream-join-follow"], "follow": 0.0, "stream_join": 3.0}

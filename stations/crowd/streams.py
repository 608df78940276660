"""Joining one's stream: how a block of people walking into another one sorts into a lane before
it meets it.

Stepping aside (evasion.py) decides a side only metres before two people meet: a dense block's
tail still fills the whole width and funnels into its lane only where it meets the other block.
People see further than the backs of the people just ahead, and lanes start where walkers join
a stream going their way (Zhang, Klingsch, Schadschneider & Seyfried, J. Stat. Mech. 2012
P02002; Moussaïd, Helbing & Theraulaz, PNAS 108, 2011: people follow what the crowd ahead does).
Three habits, each a sideways drift added to the stepping aside, read on a coarse grid of the room
(per cell, sums over the people in it, so the cost grows with people, not with pairs):

- `pull` (`stream_pull`): towards the side where, 1 m to `reach` ahead, the crowd faces one's
  own way more (the ways people face x their desired speeds: a crowd standing still still shows
  where it wants to go), looked at `offsets` to either side: at 0.75 m only, a front that walked
  into a gap of the oncoming block saw the oncoming people on both sides and kept to the middle
  (three lanes in 2.5 m, a jam where the blocks met); looked at over the whole side (0.5, 1 and
  1.5 m), it sees which side the oncoming crowd fills less and moves there (README, item 2);
- `imitate` (`drift_ahead`): taking on the sideways drift of the people straight ahead (someone
  walking one's way lends their drift, someone coming the other way the opposite one), which
  passes a lane's turn back along it;
- `join` (`towards_own_group`): towards the mean lateral position of the people of one's own
  destination `near` to `far` ahead, as fast as `join` x that offset (1/s), in full where they
  are as dense as `dense` or more: the side a block's front has taken travels back through the
  block before its tail meets anybody, and the tail narrows by lengthening behind it. In a sparse
  crowd the drift fades (people walk abreast and overtake, they do not queue in single file).

The stream's two drifts add up to one sideways share of the desired speed, at most evasion's
`widest`, and turn the heading evasion chose; the drift towards one's group turns it again,
capped the same on its own (measured: capping the three together, the group's drift was mostly
cut off where the stream's already reached the cap, and the tails did not narrow; README,
"Candidates").
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .evasion import Evasion, evade_and_see, turn_aside
from .neighbours import cell_list_pairs

Bounds = tuple[float, float, float, float]


@dataclass(frozen=True)
class Streams:
    cell: float = 1.0         # m, the grid on which the crowd is read
    reach: float = 5.0        # m ahead within which the flow is compared left and right
    offsets: tuple[float, ...] = (0.75,)   # m to either side where it is compared (summed over them)
    pull: float = 0.0         # share of the desired speed per unit of the normalised difference (0: off)
    imitate: float = 0.0      # weight of the drift of the people straight ahead (0: off)
    join: float = 0.0         # 1/s, drift towards one's own group ahead (0: off)
    near: float = 2.0         # m, one's own group is looked at from here ...
    far: float = 10.0         # m ... to here ahead
    lateral: float = 3.0      # m, ... and this far to either side
    dense: float = 2.0        # P/m² of one's own group ahead from which `join` acts in full

    @property
    def active(self) -> bool:
        return self.pull > 0 or self.imitate > 0 or self.join > 0


def side_offsets(value: object) -> tuple[float, ...]:
    """`stream_offsets` as a scenario or a caller gives it: one distance or a list of them (m, each > 0)."""
    values = value if isinstance(value, (list, tuple)) else [value]
    try:
        offsets = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        offsets = ()
    if not offsets or min(offsets) <= 0:
        raise ValueError(f"stream_offsets: expected distances in m (> 0), one or a list, got {value!r}")
    return offsets


class CoarseGrid:
    """An h-metre grid over `bounds` (x wrapped with a period): cell index 1.. inside, 0 outside."""

    def __init__(self, h: float, bounds: Bounds, period_x: float | None):
        self.x0, self.y0, x1, y1 = bounds
        self.nx = max(1, int(round(period_x / h))) if period_x is not None else int(np.ceil((x1 - self.x0) / h)) + 1
        self.ny = int(np.ceil((y1 - self.y0) / h)) + 1
        self.hx = period_x / self.nx if period_x is not None else h
        self.h = h
        self.periodic = period_x is not None
        self.size = self.nx * self.ny + 1

    def index(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        cx = np.floor((x - self.x0) / self.hx).astype(np.int64)
        cx = np.mod(cx, self.nx) if self.periodic else cx
        cy = np.floor((y - self.y0) / self.h).astype(np.int64)
        inside = (cx >= 0) & (cx < self.nx) & (cy >= 0) & (cy < self.ny)
        return np.where(inside, cy * self.nx + np.clip(cx, 0, self.nx - 1) + 1, 0)

    def centre(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The centre of the cell holding (x, y), unwrapped (on the same side of the period as x)."""
        return (self.x0 + (np.floor((x - self.x0) / self.hx) + 0.5) * self.hx,
                self.y0 + (np.floor((y - self.y0) / self.h) + 0.5) * self.h)

    def sums(self, cells: np.ndarray, values: np.ndarray | None = None) -> np.ndarray:
        out = np.bincount(cells, values, self.size).astype(float)
        out[0] = 0.0                                      # outside: nobody counts
        return out


def stream_pull(law: Streams, grid: CoarseGrid, pos: np.ndarray, flow: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Per person, in [-1, 1]: > 0 when, ahead, the flow (N, 2: per person, summed per cell) along
    their own way is stronger to their left."""
    own = grid.index(pos[:, 0], pos[:, 1])
    flow_x, flow_y = grid.sums(own, flow[:, 0]), grid.sums(own, flow[:, 1])
    ex, ey = heading[:, 0], heading[:, 1]
    lx, ly = -ey, ex
    left = np.zeros(len(pos))
    right = np.zeros(len(pos))
    for s in np.arange(1.0, law.reach + 1e-9, grid.h):       # a few samples, each over everybody
        for offset in law.offsets:
            for side, acc in ((offset, left), (-offset, right)):
                c = grid.index(pos[:, 0] + s * ex + side * lx, pos[:, 1] + s * ey + side * ly)
                acc += flow_x[c] * ex + flow_y[c] * ey
    return (left - right) / (np.abs(left) + np.abs(right) + 1.0)


def drift_ahead(law: Streams, grid: CoarseGrid, pos: np.ndarray, vel: np.ndarray, heading: np.ndarray) -> np.ndarray:
    """Per person, m/s: the mean sideways velocity (> 0: to their left) of the people 1 m to `reach`
    straight ahead, counted as (their way . one's way) x their sideways velocity."""
    own = grid.index(pos[:, 0], pos[:, 1])
    # per cell, the sums of way (x) velocity: anyone's drift, signed by how their way meets the looker's
    m = {(p, q): grid.sums(own, heading[:, p] * vel[:, q]) for p in (0, 1) for q in (0, 1)}
    count = grid.sums(own)
    ex, ey = heading[:, 0], heading[:, 1]
    lx, ly = -ey, ex
    total, people = np.zeros(len(pos)), np.zeros(len(pos))
    for s in np.arange(1.0, law.reach + 1e-9, grid.h):
        c = grid.index(pos[:, 0] + s * ex, pos[:, 1] + s * ey)
        total += ex * lx * m[0, 0][c] + ex * ly * m[0, 1][c] + ey * lx * m[1, 0][c] + ey * ly * m[1, 1][c]
        people += count[c]
    return total / np.maximum(people, 1.0)


def towards_own_group(law: Streams, grid: CoarseGrid, pos: np.ndarray, heading: np.ndarray,
                      group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person: the mean lateral offset (m, > 0: to their left) of the people of their own group
    `near` to `far` ahead and up to `lateral` to either side, and those people's density (P/m²,
    over the part of that area inside the grid). Nobody there: offset 0."""
    own = grid.index(pos[:, 0], pos[:, 1])
    groups = int(group.max()) + 1
    key = own * groups + group
    # per (cell, group): how many, and the sum of their offsets from the cell's centre (unwrapped
    # below from the centre of the cell looked at: periodic rooms sum offsets, not coordinates)
    cx, cy = grid.centre(pos[:, 0], pos[:, 1])
    count = np.bincount(key, minlength=grid.size * groups).astype(float)
    off_x = np.bincount(key, pos[:, 0] - cx, grid.size * groups)
    off_y = np.bincount(key, pos[:, 1] - cy, grid.size * groups)
    count[:groups] = off_x[:groups] = off_y[:groups] = 0.0      # cell 0: outside
    h = grid.h
    along = np.arange(law.near, law.far + 1e-9, h)
    side = np.arange(-law.lateral, law.lateral + 1e-9, h)
    s, o = (a.ravel() for a in np.meshgrid(along, side))       # the sample points, in one's own frame
    ex, ey = heading[:, 0, None], heading[:, 1, None]
    px = pos[:, 0, None] + s * ex - o * ey                      # (N, samples)
    py = pos[:, 1, None] + s * ey + o * ex
    c = grid.index(px, py)
    k = c * groups + group[:, None]
    n = count[k]
    qx, qy = grid.centre(px, py)
    dx = (n * (qx - pos[:, 0, None]) + off_x[k]).sum(axis=1)
    dy = (n * (qy - pos[:, 1, None]) + off_y[k]).sum(axis=1)
    people = n.sum(axis=1)
    lateral = np.where(people > 0, (dx * -heading[:, 1] + dy * heading[:, 0]) / np.maximum(people, 1.0), 0.0)
    area = np.maximum((c > 0).sum(axis=1), 1) * h * h
    return lateral, people / area


def sideways_shares(law: Streams, bounds: Bounds, period_x: float | None, pos: np.ndarray, vel: np.ndarray,
                    heading: np.ndarray, v0: np.ndarray, group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person, the sideways speeds wanted, as shares of the desired speed (> 0: to the left; not
    capped): from the stream ahead (`pull` and `imitate`), and towards one's own group (`join`)."""
    grid = CoarseGrid(law.cell, bounds, period_x)
    stream, group_share = np.zeros(len(pos)), np.zeros(len(pos))
    slow = np.maximum(v0, 0.1)
    if law.pull > 0:
        stream += law.pull * stream_pull(law, grid, pos, heading * v0[:, None], heading)
    if law.imitate > 0:
        stream += law.imitate * drift_ahead(law, grid, pos, vel, heading) / slow
    if law.join > 0:
        lateral, density = towards_own_group(law, grid, pos, heading, group)
        group_share = law.join * np.minimum(1.0, density / law.dense) * lateral / slow
    return stream, group_share


def aside_and_along(evasion: Evasion, law: Streams, bounds: Bounds, period_x: float | None, pos: np.ndarray,
                    vel: np.ndarray, radius: np.ndarray, heading: np.ndarray, v0: np.ndarray, ident: np.ndarray,
                    group: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Headings (N, 2) turned aside for oncoming people (evasion.py), then by the stream's drifts, each
    capped at evasion's widest share; and per person whether someone is coming towards them. The pairs
    are a wider list than the forces' one (evasion's reach), made at each look (0.1 s)."""
    i, j = cell_list_pairs(pos, evasion.reach, period_x)
    turned, coming = evade_and_see(evasion, pos, vel, radius, heading, v0, ident, i, j, period_x)
    if not law.active:
        return turned, coming
    for share in sideways_shares(law, bounds, period_x, pos, vel, heading, v0, group):
        turned = turn_aside(turned, np.clip(share, -evasion.widest, evasion.widest))
    return turned, coming

"""Passing a slower walker ahead, when there is room beside them.

With the headway rule (steering.py) a quick walker who comes up behind a slow one keeps a time gap
to them and walks at their pace: a sparse one-way crowd then walks in files behind its slowest
people, and its mean speed falls below what people walk in the open (Weidmann's 1.25 m/s at
0.5 persons/m²; README, "What is not reached"). People pass instead: they step aside when the one
ahead is slower than they wish to walk and the space beside them is free (Moussaïd, Helbing &
Theraulaz, PNAS 108, 2011: walkers choose the direction that lets them walk on unhindered).

Ten times a second each person looks at the nearest person ahead walking their way and in their
path (less than a contact distance to the side, nearer than `reach`). If that person walks slower
along their way than they wish to by more than `slack`, they aim at the line beside them on the side
the slow walker is not (the one free of people and walls; the other side if that one is taken):
a contact distance and `margin` to the side, reached within `quickest` s at most `widest` x their
desired speed. The headway rule then keeps only the short gap to someone partly in the way, and
they pass. Nobody passes in a crowd (more than `crowded` persons/m² within `reach`): there the
space beside is taken a moment later; nor with someone coming the other way in sight (the model
asks evasion.py): in two-way flows passing broke the lanes (README, Validation).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .evasion import nearest_per_owner, own_bias, turn_aside
from .forces import wall_normals
from .steering import seen_from_each


@dataclass(frozen=True)
class Overtaking:
    reach: float = 1.5         # m ahead within which a slower walker in one's path is passed
    slack: float = 0.15        # m/s: slower than one's wish by more than this counts as slow
    margin: float = 0.1        # m of clearance aimed at beside them
    quickest: float = 0.5      # s, the shortest time to step aside
    widest: float = 0.5        # largest sideways speed, as a share of the desired speed
    behind: float = 0.3        # m behind oneself that the space beside must be free too
    crowded: float = 1.0       # persons/m² within `reach` around oneself from which nobody passes


def overtake(law: Overtaking, pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, heading: np.ndarray,
             v0: np.ndarray, ident: np.ndarray, i: np.ndarray, j: np.ndarray, period_x: float | None,
             walls: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """Headings (N, 2) turned aside to pass a slower walker ahead; i, j: pairs within `reach`, once;
    walls: (agent, segment) pairs near each agent and the segments (x1, y1, x2, y2)."""
    n = len(pos)
    a, b, along, lateral = seen_from_each(pos, heading, i, j, period_x)     # lateral > 0: b to a's left
    contact = radius[a] + radius[b]
    same_way = heading[a, 0] * heading[b, 0] + heading[a, 1] * heading[b, 1] > 0.5
    pace = vel[b, 0] * heading[a, 0] + vel[b, 1] * heading[a, 1]
    in_path = np.flatnonzero(same_way & (along > 0) & (along < law.reach) & (np.abs(lateral) < contact))
    if len(in_path) == 0:
        return heading
    k = in_path[nearest_per_owner(a[in_path], along[in_path])]
    near = along * along + lateral * lateral < law.reach * law.reach
    density = np.bincount(a[near], minlength=n) / (np.pi * law.reach * law.reach)
    slow = (pace[k] < v0[a[k]] - law.slack) & (density[a[k]] < law.crowded)
    k = k[slow]
    if len(k) == 0:
        return heading
    who = a[k]
    # away from the slow walker's side; a head-on tie goes to each one's fixed lateral bias
    side = -np.sign(lateral[k] + own_bias(ident[who], 0.01))
    shift = np.zeros((n, 2))                  # per person: the lateral move to each side (left, right)
    shift[who, 0] = lateral[k] + contact[k] + law.margin          # to the left (> 0)
    shift[who, 1] = lateral[k] - contact[k] - law.margin          # to the right (< 0)
    free = np.zeros((n, 2), bool)
    free[who] = True
    # anybody else beside or ahead near either target line takes that side
    around = (along > -law.behind) & (along < law.reach) & (b != _first_of(a, b, k, n))
    for col in (0, 1):
        taken = around & (np.abs(lateral - shift[a, col]) < radius[a] + radius[b])
        free[a[taken], col] = False
        free[:, col] &= _clear_of_walls(pos, radius, heading, shift[:, col], walls, free[:, col])
    choice = np.where(side > 0, 0, 1)
    other = 1 - choice
    use = np.where(free[who, choice], choice, np.where(free[who, other], other, -1))
    go = use >= 0
    who, use = who[go], use[go]
    move = shift[who, use]
    sideways = np.zeros(n)
    sideways[who] = np.sign(move) * np.minimum(np.abs(move) / law.quickest, law.widest * v0[who])
    moving = v0 > 0
    return turn_aside(heading, np.where(moving, sideways / np.where(moving, v0, 1.0), 0.0))


def _first_of(a: np.ndarray, b: np.ndarray, k: np.ndarray, n: int) -> np.ndarray:
    """Per pair entry (a looks at b): the slow walker a passes (-1 for people passing nobody)."""
    slow_one = np.full(n, -1)
    slow_one[a[k]] = b[k]
    return slow_one[a]


def _clear_of_walls(pos: np.ndarray, radius: np.ndarray, heading: np.ndarray, move: np.ndarray,
                    walls: tuple[np.ndarray, np.ndarray, np.ndarray], asking: np.ndarray) -> np.ndarray:
    """True per person when the point `move` to their left (and the way there) is a body clear of
    walls; looked at only for the people `asking` (the others pass nobody)."""
    wa, ws, seg = walls
    clear = np.ones(len(pos), bool)
    keep = asking[wa]
    wa, ws = wa[keep], ws[keep]
    if len(wa) == 0:
        return clear
    left = np.column_stack([-heading[wa, 1], heading[wa, 0]])
    for share in (0.5, 1.0):
        nx, ny, dist = wall_normals(pos[wa] + share * move[wa, None] * left, seg[ws])
        clear[wa[dist < radius[wa] + 0.05]] = False
    return clear

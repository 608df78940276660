"""Stepping aside for people coming the other way, and falling in behind someone walking your way.

Two groups walking into each other do not sort into lanes by contact forces alone: the forces act
when bodies are centimetres apart, too late to choose a side, and the fronts meet face to face.
Walkers choose a side metres before they meet (Moussaïd, Helbing & Theraulaz, PNAS 108, 2011:
people look ahead and keep clear of whoever comes towards them) and then follow whoever walks
ahead of them the same way; lanes come from these two habits (Helbing, Molnár, Farkas & Bolay,
Environment and Planning B 28, 2001; Zhang, Klingsch, Schadschneider & Seyfried, J. Stat. Mech.
2012 P02002). No side is preferred here: keep right is a separate switch (forces.py).

Ten times a second each person looks for the nearest person coming towards them within `reach`
ahead and less than `width` contact distances to the side ("in the way"). They step away from the
side where the oncoming people ahead are, on the whole, and towards the side where the people
ahead walking their way are (everyone within `side_view` to either side, nearer ones counting
more, the second with weight `cohesion`), so that the people of one front choose the same side
instead of each their own; a head-on tie goes to the side of the person's own small fixed lateral
bias. The sidestep is fast enough to be clear when they would meet walking as they wish (the
distance still missing over the time to meet), at most `widest` x their desired speed. With
`follow` > 0 someone with nobody in the way drifts towards the line of the nearest person ahead
walking the same way (within `follow_reach`), which holds a lane together.

Only people of different destinations can walk into each other: along the line between two people
following the same distance-to-exit field the distance cannot fall both ways, so the model skips
this in one-destination rooms.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .steering import seen_from_each

GOLDEN = 0.6180339887498949


@dataclass(frozen=True)
class Evasion:
    reach: float = 4.0         # m ahead within which oncoming people are seen
    width: float = 2.0         # contact distances (r_i + r_j) to the side within which one is in the way
    side_view: float = 1.5     # m to either side within which oncoming people decide the side
    cohesion: float = 1.0      # weight of the people ahead walking one's way in that choice (towards them)
    margin: float = 0.1        # m of clearance aimed at when passing
    quickest: float = 0.5      # s, the shortest time to meet counted
    widest: float = 0.5        # largest sideways speed, as a share of the desired speed
    bias: float = 0.05         # m, each person's own fixed lateral bias (breaks exact head-on ties)
    follow: float = 0.0        # 1/s, drift towards the line of the person ahead walking the same way
    follow_reach: float = 3.0  # m ahead within which that person is followed


def own_bias(ident: np.ndarray, size: float) -> np.ndarray:
    """A fixed lateral bias per person in [-size, size), spread evenly over people (no side wins)."""
    return (np.mod(ident * GOLDEN, 1.0) - 0.5) * 2 * size


def nearest_per_owner(owner: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Indices of the entry with the smallest key for each distinct owner."""
    if len(owner) == 0:
        return np.zeros(0, np.int64)
    order = np.lexsort((key, owner))
    first = np.ones(len(order), bool)
    first[1:] = owner[order[1:]] != owner[order[:-1]]
    return order[first]


def _where_the_others_are(law: Evasion, a: np.ndarray, along: np.ndarray, lateral: np.ndarray, cos: np.ndarray,
                          n: int) -> np.ndarray:
    """Per person: > 0 when, on the whole, the oncoming people ahead are to their left and the ones
    walking their way to their right (nearer ones counting more)."""
    ahead = (along > 0) & (along < law.reach) & (np.abs(lateral) < law.side_view)
    weight = lateral / np.maximum(along, 0.5)
    coming, going = ahead & (cos < -0.5), ahead & (cos > 0.5)
    return np.bincount(a[coming], weight[coming], n) - law.cohesion * np.bincount(a[going], weight[going], n)


def evade(law: Evasion, pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, heading: np.ndarray,
          v0: np.ndarray, ident: np.ndarray, i: np.ndarray, j: np.ndarray, period_x: float | None) -> np.ndarray:
    """Headings (N, 2; unit, or 0 for people standing) turned aside from oncoming people (and
    towards the line of the one ahead walking the same way); i, j: every pair within `reach`, once."""
    return evade_and_see(law, pos, vel, radius, heading, v0, ident, i, j, period_x)[0]


def evade_and_see(law: Evasion, pos: np.ndarray, vel: np.ndarray, radius: np.ndarray, heading: np.ndarray,
                  v0: np.ndarray, ident: np.ndarray, i: np.ndarray, j: np.ndarray,
                  period_x: float | None) -> tuple[np.ndarray, np.ndarray]:
    """evade(), and per person whether someone is coming towards them within `reach` ahead and
    `side_view` to either side (they do not pass anyone then: overtaking.py)."""
    n = len(pos)
    a, b, along, lateral = seen_from_each(pos, heading, i, j, period_x)      # lateral > 0: b to a's left
    contact = radius[a] + radius[b]
    cos = heading[a, 0] * heading[b, 0] + heading[a, 1] * heading[b, 1]
    coming = (cos < -0.5) & (along > 0) & (along < law.reach)
    sees = np.zeros(n, bool)
    sees[a[coming & (np.abs(lateral) < law.side_view)]] = True
    sideways = np.zeros(n)                       # sideways speed wanted, > 0 = to the left
    in_way = np.flatnonzero(coming & (np.abs(lateral) < law.width * contact))
    if len(in_way):
        k = in_way[nearest_per_owner(a[in_way], along[in_way])]
        who = a[k]
        where = _where_the_others_are(law, a, along, lateral, cos, n)[who]
        need = np.maximum(contact[k] + law.margin - np.abs(lateral[k]), 0.0)
        meet = np.maximum(np.maximum(along[k] - contact[k], 0.0) / (v0[who] + v0[b[k]]), law.quickest)
        # the bias as a lateral offset seen at the distance of the one in the way (where's units)
        tie = own_bias(ident[who], law.bias) / np.maximum(along[k], 0.5)
        sideways[who] = -np.sign(where + tie) * np.minimum(need / meet, law.widest * v0[who])
    if law.follow > 0:
        leading = np.flatnonzero((cos > 0.5) & (along > 0) & (along < law.follow_reach)
                                 & (np.abs(lateral) < law.width * contact))
        k = leading[nearest_per_owner(a[leading], along[leading])]
        who = a[k]
        free = sideways[who] == 0.0
        who, k = who[free], k[free]
        sideways[who] = np.clip(law.follow * lateral[k], -law.widest * v0[who], law.widest * v0[who])
    moving = v0 > 0
    return turn_aside(heading, np.where(moving, sideways / np.where(moving, v0, 1.0), 0.0)), sees


def turn_aside(heading: np.ndarray, share: np.ndarray) -> np.ndarray:
    """Headings (unit, or 0) turned to walk `share` x as fast sideways (> 0: to the left) as along them."""
    turned = heading.copy()
    turned[:, 0] -= share * heading[:, 1]        # the left of (ex, ey) is (-ey, ex)
    turned[:, 1] += share * heading[:, 0]
    norm = np.sqrt((turned * turned).sum(axis=1))
    ok = norm > 1e-9
    turned[ok] /= norm[ok][:, None]
    return turned

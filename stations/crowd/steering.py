"""How fast each person wants to walk when they keep a time gap to whoever is ahead ("headway").

The 2000 social force pushes people apart only when they are within a few centimetres of each
other: in a one-way stream the pushes from the front and from behind cancel, so nobody slows down
as the crowd thickens (1.1 m/s at 3 persons/m², where Weidmann measured 0.3-0.4). With this rule
people keep a time gap instead. Ten times a second (a reaction time) each takes as target speed

    min(v0, free / time_gap)

free being how far they can walk straight on, along their way to the exit, before their body
touches the first person ahead who walks the same way (Moussaïd, Helbing & Theraulaz, PNAS 108,
2011, second heuristic; the speed function of Tordeux, Chraibi & Seyfried's collision-free speed
model, PLoS ONE 11, 2016, as JuPedSim implements it). Bodies are discs for the forces, but a body
is shallower than it is wide (0.28 m deep for 0.46 m across shoulders, Weidmann 1993): "touching"
along the way is counted with `depth` x the width (the model's `body_depth`). Someone only partly in the way (their centre
off the walker's line by more than `core` x the contact width, as in the zipper of a bottleneck)
is kept at the shorter `short_gap`. The body then follows the target velocity with the relaxation
time tau of the force model, and the 2000 forces act unchanged.

People walking the other way are left to the forces: with the rule applied to them too, two
groups meeting face to face stopped at a distance and never passed (README, "Candidates").
`oncoming_gap` (0 = off) keeps a short gap to someone coming the other way in one's path, for
people who also step aside for them (evasion.py): they then slip past instead of pressing in.
People in a hurry push: the target speed never falls below (v0 - push_from), the part of their
desired speed above a brisk walk, so that a panicking crowd still presses on the door. With
`push_by_hurry` the floor is read from the crowd's hurry instead (its mean desired speed, the
station's slider): v0 (1 - push_from / hurry), so that a calm crowd's fast walkers keep their gaps
like everyone else and a hurried crowd pushes in proportion (README, Validation 4).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Steering:
    time_gap: float = 0.7          # s, kept to someone straight ahead
    short_gap: float = 0.3         # s, kept to someone partly in the way
    core: float = 0.5              # share of the contact width that is "straight ahead"
    depth: float = 0.6             # body depth / width (Weidmann's body ellipse 0.28 / 0.46 m)
    period: float = 0.1            # s between two looks (a reaction time)
    push_from: float = 1.6         # m/s: desired speeds above this push into a dense crowd
    oncoming_gap: float = 0.0      # s kept to someone coming the other way in the way (0: left to the forces)
    push_by_hurry: bool = False    # the floor from the crowd's hurry, not from each one's own speed


def seen_from_each(pos: np.ndarray, heading: np.ndarray, i: np.ndarray, j: np.ndarray,
                   period_x: float | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every pair both ways (a looks at b): a, b, how far b is ahead along a's heading, and how far
    to a's side (> 0: to a's left). i, j: pairs, each once."""
    a = np.concatenate([i, j])
    b = np.concatenate([j, i])
    dx = pos[b, 0] - pos[a, 0]
    dy = pos[b, 1] - pos[a, 1]
    if period_x is not None:
        dx -= period_x * np.round(dx / period_x)
    ex, ey = heading[a, 0], heading[a, 1]
    return a, b, ex * dx + ey * dy, ex * dy - ey * dx


def look_ahead(law: Steering, pos: np.ndarray, radius: np.ndarray, heading: np.ndarray, v0: np.ndarray,
               i: np.ndarray, j: np.ndarray, period_x: float | None, hurry: float | None = None) -> np.ndarray:
    """Target velocity (N, 2): heading (unit ways to the exit, 0 = standing) x the rule's speed.
    i, j: the neighbour list's pairs (each once, within cut-off + skin: enough for v0 T + body);
    hurry: the crowd's mean desired speed (m/s), read with `push_by_hurry`."""
    n = len(pos)
    a, b, along, lateral = seen_from_each(pos, heading, i, j, period_x)
    ux, uy = heading[a, 0], heading[a, 1]
    across = np.abs(lateral)
    contact = radius[a] + radius[b]
    same_way = ux * heading[b, 0] + uy * heading[b, 1] > 0.0
    ahead = (along >= 0.0) & (across < contact) & (same_way | (law.oncoming_gap > 0))
    along, across, contact, same_way = along[ahead], across[ahead], contact[ahead], same_way[ahead]
    free = along - law.depth * np.sqrt(contact * contact - across * across)
    gap = np.where(across < law.core * contact, law.time_gap, law.short_gap)
    gap = np.where(same_way, gap, law.oncoming_gap)
    allowed = np.full(n, np.inf)
    np.minimum.at(allowed, a[ahead], np.maximum(free, 0.0) / gap)
    speed = np.minimum(v0, allowed)
    if law.push_by_hurry and hurry:
        floor = v0 * max(0.0, 1.0 - law.push_from / hurry)
    else:
        floor = np.maximum(v0 - law.push_from, 0.0)
    speed = np.maximum(speed, floor)
    return heading * speed[:, None]

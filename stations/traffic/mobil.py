"""MOBIL lane changes (Kesting, Treiber & Helbing, Transp. Res. Rec. 1999, 86-94, 2007), vectorised.

Vehicles are sorted per lane once per step (one argsort of lane*span + x); leaders and followers in a
neighbouring lane come from one `searchsorted` over the sorted keys. Accelerations in m/s².
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NO_VEHICLE = -1
FAR = 1.0e6   # m: the gap to "nobody ahead" on an open road


@dataclass(frozen=True)
class MobilParams:
    politeness: float = 0.2     # p: weight of the followers' gains (0 = selfish, 1 = altruistic)
    threshold: float = 0.1      # Δa_th, m/s²: the gain must exceed this to change
    bias_right: float = 0.3     # Δa_bias, m/s²: keep-right rule (European asymmetric MOBIL)
    b_safe: float = 4.0         # m/s²: the new follower may not be forced to brake harder than this
    cooldown_s: float = 5.0     # s between two changes of one vehicle (no ping-pong)
    mandatory_bias: float = 3.0 # m/s²: pushes vehicles out of an ending lane (ramp, roadworks)


@dataclass
class LaneIndex:
    """Vehicles sorted by (lane, x): `order[k]` is the k-th vehicle; lane L is the block
    order[start[L]:start[L]+count[L]], rear-most first."""

    order: np.ndarray
    keys: np.ndarray
    rank: np.ndarray
    start: np.ndarray
    count: np.ndarray
    span: float


def build_index(lane: np.ndarray, x: np.ndarray, lanes: int, span: float, hint: np.ndarray | None = None) -> LaneIndex:
    """`hint`: the previous order. Vehicles rarely change places between two steps, so sorting the
    keys in that order is nearly sorted already, which the stable sort (timsort/radix) does in ~O(n)."""
    key = lane * span + x
    if hint is not None and hint.size == key.size:
        order = hint[np.argsort(key[hint], kind="stable")]
    else:
        order = np.argsort(key, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    count = np.bincount(lane, minlength=lanes)
    start = np.zeros(lanes, dtype=np.int64)
    np.cumsum(count[:-1], out=start[1:])
    return LaneIndex(order, key[order], rank, start, count, span)


def own_neighbours(idx: LaneIndex, lane: np.ndarray, ring: bool) -> tuple[np.ndarray, np.ndarray]:
    """(leader, follower) of every vehicle in its own lane; NO_VEHICLE on an open road's ends.

    On a ring the first and last of a lane close the loop (a lone vehicle follows itself).
    """
    start = idx.start[lane]
    end = start + idx.count[lane]
    ahead = idx.rank + 1
    behind = idx.rank - 1
    if ring:
        ahead = np.where(ahead >= end, start, ahead)
        behind = np.where(behind < start, end - 1, behind)
        return idx.order[ahead], idx.order[behind]
    leader = np.where(ahead >= end, NO_VEHICLE, idx.order[np.minimum(ahead, idx.order.size - 1)])
    follower = np.where(behind < start, NO_VEHICLE, idx.order[np.maximum(behind, 0)])
    return leader, follower


def target_neighbours(idx: LaneIndex, target: np.ndarray, x: np.ndarray, ring: bool):
    """(leader, follower) in lane `target` of vehicles at x that are not in that lane."""
    pos = np.searchsorted(idx.keys, target * idx.span + x, side="left")
    start = idx.start[target]
    count = idx.count[target]
    end = start + count
    empty = count == 0
    last = idx.order.size - 1
    lead_pos = pos
    foll_pos = pos - 1
    if ring:
        lead_pos = np.where(pos >= end, start, pos)
        foll_pos = np.where(foll_pos < start, end - 1, foll_pos)
        leader = np.where(empty, NO_VEHICLE, idx.order[np.clip(lead_pos, 0, last)])
        follower = np.where(empty, NO_VEHICLE, idx.order[np.clip(foll_pos, 0, last)])
        return leader, follower
    leader = np.where(empty | (pos >= end), NO_VEHICLE, idx.order[np.clip(lead_pos, 0, last)])
    follower = np.where(empty | (foll_pos < start), NO_VEHICLE, idx.order[np.clip(foll_pos, 0, last)])
    return leader, follower


def mobil_incentive(acc_self_old, acc_self_new, acc_new_follower_old, acc_new_follower_new,
                    acc_old_follower_old, acc_old_follower_new, p: MobilParams, bias):
    """MOBIL incentive minus threshold: positive means the change is worth it.

    bias > 0 favours the change (keep-right rule, lane ending), bias < 0 discourages it.
    """
    own = acc_self_new - acc_self_old
    others = (acc_new_follower_new - acc_new_follower_old) + (acc_old_follower_new - acc_old_follower_old)
    return own + p.politeness * others - p.threshold + bias


def mobil_safe(acc_self_new, acc_new_follower_new, gap_front, gap_back, p: MobilParams):
    """Safety criterion: nobody brakes harder than b_safe and both gaps stay open."""
    return (acc_new_follower_new >= -p.b_safe) & (acc_self_new >= -p.b_safe) & (gap_front > 0.5) & (gap_back > 0.5)

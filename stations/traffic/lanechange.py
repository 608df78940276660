"""One MOBIL pass over all vehicles of a model (vectorised); see mobil.py for the criteria.

Directions alternate between sub-steps (left, then right), so a lane only receives vehicles from one
side at a time: two vehicles can never squeeze into the same gap from both sides.
"""
from __future__ import annotations

import numpy as np

from .idm import idm_acceleration
from .mobil import FAR, NO_VEHICLE, build_index, mobil_incentive, mobil_safe, own_neighbours, target_neighbours


def _gap(m, back: np.ndarray, front: np.ndarray) -> np.ndarray:
    """Bumper-to-bumper gap from vehicle `back` to vehicle `front` (FAR when front is NO_VEHICLE)."""
    has = (front != NO_VEHICLE) & (back != NO_VEHICLE)
    f = np.where(has, front, 0)
    bk = np.where(back != NO_VEHICLE, back, 0)
    ahead = m.x[f] - m.x[bk]
    if m.road.ring:   # wrap the distance between fronts, *then* subtract the length: overlaps stay negative
        ahead %= m.road.length
    return np.where(has, ahead - m.length[f], FAR)


def _rows(m, who: np.ndarray) -> tuple:
    """The IDM inputs of vehicles `who` (NO_VEHICLE rows are filled with vehicle 0 and masked later):
    gathered once per role (me, new follower, old follower) and used for two accelerations each."""
    safe = np.where(who != NO_VEHICLE, who, 0)
    return who != NO_VEHICLE, m.x[safe], m.v[safe], m.v0[safe], m.T[safe], m.s0[safe], m.a[safe], m.b[safe]


def _acc(m, rows: tuple, gap: np.ndarray, v_lead: np.ndarray, lane: np.ndarray) -> np.ndarray:
    """IDM acceleration of one role for a given gap and leader speed, walls of `lane` included."""
    valid, x, v, v0, T, s0, a, b = rows
    for wall_lane, wall_x, seen in m.road.walls(not m.ramp_light_green):
        wall_gap = wall_x - x
        closer = (lane == wall_lane) & (wall_gap >= 0) & (wall_gap <= seen) & (wall_gap < gap)
        gap = np.where(closer, wall_gap, gap)
        v_lead = np.where(closer, 0.0, v_lead)
    acc = idm_acceleration(v, gap, v - v_lead, v0, T, s0, a, b)
    return np.where(valid, acc, 0.0)


def change_lanes(m, h: float) -> int:
    """Apply the lane changes MOBIL accepts this sub-step; returns how many vehicles changed."""
    if m.x.size == 0:
        return 0
    go_left = (m.substeps // m.lane_change_every) % 2 == 0
    neighbour = m.left_of if go_left else m.right_of
    target_all = neighbour[m.lane]
    ok = m.road.may_enter(target_all, m.x, m.lane)
    ok &= (m.t - m.last_change) >= m.mobil.cooldown_s
    ok &= ~m.braking & ~(m.hold_until > m.t) & ~m.smart
    cand = np.flatnonzero(ok)
    if cand.size == 0:
        return 0
    idx = build_index(m.lane, m.x, m.road.lane_count, 4 * m.road.length, m._order_hint)
    m._order_hint = idx.order
    lead_all, foll_all = own_neighbours(idx, m.lane, m.road.ring)
    me = cand
    lane = m.lane[me]
    target = target_all[me]
    lead = lead_all[me]
    foll = foll_all[me]
    if m.road.ring:  # a lone vehicle follows itself: it has no follower to disturb
        foll = np.where(foll == me, NO_VEHICLE, foll)
        lead = np.where(lead == me, NO_VEHICLE, lead)
    new_lead, new_foll = target_neighbours(idx, target, m.x[me], m.road.ring)

    def v_of(k):
        return np.where(k != NO_VEHICLE, m.v[np.where(k != NO_VEHICLE, k, 0)], m.v[me])

    mine, new_f, old_f = _rows(m, me), _rows(m, new_foll), _rows(m, foll)
    acc_self_old = _acc(m, mine, _gap(m, me, lead), v_of(lead), lane)
    gap_front = _gap(m, me, new_lead)
    acc_self_new = _acc(m, mine, gap_front, v_of(new_lead), target)
    gap_back = _gap(m, new_foll, me)
    acc_nf_new = _acc(m, new_f, gap_back, mine[2], target)
    acc_nf_old = _acc(m, new_f, _gap(m, new_foll, new_lead), v_of(new_lead), target)
    acc_of_old = _acc(m, old_f, _gap(m, foll, me), mine[2], lane)
    acc_of_new = _acc(m, old_f, _gap(m, foll, lead), v_of(lead), lane)

    p = m.mobil
    bias = np.full(me.size, p.bias_right if not go_left else -p.bias_right)
    road = m.road
    if road.ramp:
        bias = np.where(lane == road.ramp_lane, p.mandatory_bias, bias)
    if road.closure:
        closing = (lane == road.closure.lane) & (m.x[me] < road.closure.start)
        bias = np.where(closing, p.mandatory_bias, bias)
    incentive = mobil_incentive(acc_self_old, acc_self_new, acc_nf_old, acc_nf_new, acc_of_old, acc_of_new, p, bias)
    gap_back_safe = np.where(new_foll == NO_VEHICLE, FAR, gap_back)
    accept = (incentive > 0) & mobil_safe(acc_self_new, np.where(new_foll == NO_VEHICLE, 0.0, acc_nf_new),
                                          gap_front, gap_back_safe, p)
    movers = me[accept]
    if movers.size:
        m.lane[movers] = target[accept]
        m.last_change[movers] = m.t
        if m.audit:
            m.lane_change_audit.append(np.where(new_foll[accept] == NO_VEHICLE, 0.0, acc_nf_new[accept]))
    return int(movers.size)

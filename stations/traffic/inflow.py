"""Open roads: vehicles leave at the end, demand enters at the start of each lane and of the ramp.

Functions of a TrafficModel (`self` is the model), kept apart from the car-following hot path.
"""
from __future__ import annotations

import numpy as np


def open_road_boundaries(m, h: float) -> None:
    """Vehicles past the end leave; demand accumulates per lane and enters when the entry is clear.

    Demand that cannot enter waits in `m._pending` (a queue upstream of the road, counted in the total
    travel time).
    """
    road = m.road
    gone = (m.x > road.length) & (m.lane < road.lanes)
    if gone.any():
        m.finished_vehicles += int(gone.sum())
        m._keep(~gone)
    per_lane = road.inflow_veh_h * m.inflow_scale / 3600.0 / road.lanes
    m._pending[: road.lanes] += per_lane * h
    entry = np.zeros(road.lane_count)
    if road.ramp:
        m._pending[road.ramp_lane] += road.ramp.inflow_veh_h * m.ramp_inflow_scale / 3600.0 * h
        entry[road.ramp_lane] = road.ramp_start()
    m._pending = np.minimum(m._pending, 200.0)
    ready = np.flatnonzero(m._pending >= 1.0)
    if ready.size:
        _insert_at_entries(m, ready, entry)


def _insert_at_entries(m, lanes: np.ndarray, entry: np.ndarray) -> None:
    """One vehicle per ready lane when its entry is clear (vectorised over lanes)."""
    p = m.params
    rear_x = np.full(m.road.lane_count, np.inf)
    rear_v = np.full(m.road.lane_count, p.v0)
    if m.x.size:
        rear_x_all = np.full(m.road.lane_count, np.inf)
        np.minimum.at(rear_x_all, m.lane, m.x - m.length)
        rear_x = rear_x_all
        first = np.lexsort((m.x, m.lane))
        lane_sorted = m.lane[first]
        starts = np.searchsorted(lane_sorted, np.arange(m.road.lane_count))
        has = np.bincount(m.lane, minlength=m.road.lane_count) > 0
        rear_v = np.where(has, m.v[first[np.minimum(starts, first.size - 1)]], p.v0)
    gap = rear_x[lanes] - entry[lanes]
    v_in = np.minimum(rear_v[lanes], p.v0 * 0.8)
    if m.road.ramp:
        v_in = np.where(lanes == m.road.ramp_lane, np.minimum(v_in, 0.7 * p.v0), v_in)
    needed = p.s0 + v_in * p.T
    ok = gap >= needed
    lanes = lanes[ok]
    if lanes.size:
        m._pending[lanes] -= 1.0
        cols = m._new_columns(lanes.size, lanes, entry[lanes], v_in[ok])
        m._append(cols)

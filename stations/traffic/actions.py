"""What a visitor (or a group preset) does to a TrafficModel: brake a car, add or remove cars, switch
the calm car or the drivers' temperament. A mixin of TrafficModel, apart from the dynamics."""
from __future__ import annotations

import numpy as np

from .idm import IDMParams
from .mobil import build_index, own_neighbours


class VisitorActions:
    def tap(self, vid: int) -> bool:
        """Brake vehicle `vid` to a stop and hold it for hold_s. False when it does not exist."""
        hit = np.flatnonzero(self.vid == vid)
        if hit.size == 0:
            return False
        self.braking[hit[0]] = True
        self._visitor_stops = True
        return True

    def set_vehicle_count(self, n: int) -> None:
        """Ring only: add vehicles in the largest gaps or remove some, keeping everyone safe."""
        n = max(1, int(n))
        current = self.x.size
        if n < current:
            drop = self.rng.choice(np.flatnonzero(~self.smart), size=current - n, replace=False)
            keep = np.ones(current, bool)
            keep[drop] = False
            self._keep(keep)
            return
        for _ in range(n - current):   # a handful of insertions per visitor press, not per step
            self._insert_in_largest_gap()

    def _insert_in_largest_gap(self) -> None:
        idx = build_index(self.lane, self.x, self.road.lane_count, 4 * self.road.length)
        leader, _ = own_neighbours(idx, self.lane, True)
        gap = (self.x[leader] - self.x) % self.road.length - self.length[leader]
        gap[leader == np.arange(self.x.size)] = self.road.length - self.length[0]
        per_lane = np.bincount(self.lane, minlength=self.road.lanes)
        if np.any(per_lane == 0):
            lane = int(np.argmin(per_lane))
            x, v = 0.0, 0.0
        else:
            k = int(np.argmax(gap))
            if gap[k] < self.params.length + 2.0:     # both new gaps at least 1 m
                return
            lane = int(self.lane[k])
            x = (self.x[k] + gap[k] / 2 + self.params.length / 2) % self.road.length
            v = min(self.v[k], self.v[leader[k]])
        cols = self._new_columns(1, np.array([lane]), np.array([x]), np.array([v]))
        self._append(cols)

    def set_smart_car(self, on: bool) -> None:
        self.smart[:] = False
        if on and self.x.size:
            self.smart[0] = True
            self.v_avg[0] = self.v.mean()     # it starts from the traffic's present mean speed
        self._has_smart = bool(self.smart.any())

    def set_params(self, params: IDMParams) -> None:
        """Switch driver population (nervous / calm) keeping positions and speeds."""
        n = self.x.size
        self.params = params
        cols = self._new_columns(n, self.lane, self.x, self.v)
        self._next_id -= n
        for name in ("length", "v0", "a", "T", "s0", "b"):
            setattr(self, name, cols[name])
        self._refresh_constants()

"""TrafficModel: IDM car-following plus MOBIL lane changes on a ring or an open road.

State (one numpy array per column, one entry per vehicle, no Python loop over vehicles per step):
  x [m] position of the front bumper along the road (ring: in [0, length)); v [m/s] speed >= 0;
  lane [int] 0 = right-most, `road.lanes` = on-ramp; length [m]; v0 [m/s], a [m/s²], T [s], s0 [m],
  b [m/s²] the driver's IDM parameters; vid [int] stable id; smart [bool] the calm car;
  hold_until [s] end of a visitor's stop (-inf when free); braking [bool] a visitor's brake order;
  last_change [s] time of the last lane change; t_in [s] time the vehicle entered;
  moved [m] distance driven since the last measurement (detectors are read once per simulated second).
"""
from __future__ import annotations

import math

import numpy as np

from .detectors import STOPPED_MS, LoopDetectors, SpeedField
from .idm import EXHIBIT, HARD_DECEL, MIN_GAP, IDMParams, equilibrium_gap
from .mobil import FAR, NO_VEHICLE, MobilParams, build_index, own_neighbours
from .actions import VisitorActions
from .inflow import open_road_boundaries
from .lanechange import change_lanes
from .roads import ZIPPER_M, Road
from .smart import SmartCarParams, smart_acceleration

COLUMNS = ("x", "v", "lane", "length", "v0", "a", "T", "s0", "b", "vid", "smart", "hold_until",
           "braking", "last_change", "t_in", "v_avg", "moved")
SAFETY_MARGIN = 0.1     # m: no vehicle may advance closer than this to its leader's old rear bumper
TAP_DECEL = 5.0         # m/s²: a visitor's brake order (an emergency stop, below the hard limit)


class TrafficModel(VisitorActions):
    def __init__(self, *, road: Road | None = None, params: IDMParams = EXHIBIT, vehicles: int | None = None,
                 density_veh_km_lane: float | None = None, seed: int = 0, max_dt: float = 0.2,
                 mobil: MobilParams = MobilParams(), smart: SmartCarParams = SmartCarParams(),
                 smart_car: bool = False, perturbation: float = 0.0, hold_s: float = 3.0,
                 detector_positions=None, detector_interval_s: float = 30.0, field_cells: int = 200,
                 measure: bool = True, audit: bool = False, lane_change_every: int = 2):
        if max_dt <= 0 or max_dt > 0.2:
            raise ValueError("max_dt must be in (0, 0.2] s")
        self.road = road if road is not None else Road()
        self.params = params
        self.mobil = mobil
        self.smart_params = smart
        self.seed = seed
        self.max_dt = max_dt
        self.hold_s = hold_s
        self.perturbation = perturbation
        self.measure = measure
        self.audit = audit
        self.lane_change_every = lane_change_every   # sub-steps between MOBIL passes (0.4 s at dt 0.2)
        self._initial_vehicles = vehicles
        self._initial_density = density_veh_km_lane
        self._initial_smart = smart_car
        self._detector_positions = detector_positions
        self._detector_interval = detector_interval_s
        self._field_cells = field_cells
        self.left_of, self.right_of = self.road.neighbours()
        self.reset()

    # -- set-up -------------------------------------------------------------------------------
    def reset(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        self.t = 0.0
        self.substeps = 0
        self.collisions = 0
        self.ramp_light_green = True
        self.ramp_metering = False
        self.inflow_scale = 1.0
        self.ramp_inflow_scale = 1.0
        self.total_travel_time_s = 0.0
        self.finished_vehicles = 0
        self.lane_change_count = 0
        self.lane_change_audit: list[np.ndarray] = []
        self._next_id = 0
        self._pending = np.zeros(self.road.lane_count)
        for name in COLUMNS:
            setattr(self, name, np.zeros(0, dtype=self._dtype(name)))
        n = self._initial_vehicles
        if n is None and self._initial_density is not None:
            n = int(round(self._initial_density * self.road.length / 1000.0 * self.road.lanes))
        if n is None:
            n = 0 if not self.road.ring else int(round(25 * self.road.length / 1000.0 * self.road.lanes))
        if n:
            self._place_uniform(n)
        if self._initial_smart and self.x.size:
            self.smart[0] = True
        if self.perturbation and self.x.size:
            self.v[0] = max(0.0, self.v[0] - self.perturbation)
        positions = self._detector_positions
        if positions is None:
            positions = np.linspace(0, self.road.length, 5)[:-1] + self.road.length / 8
        self.detectors = LoopDetectors(positions, self.road.lanes, self._detector_interval)
        self.field = SpeedField(self.road.length, self.road.ring, cells=self._field_cells)
        self.samples: list[tuple[float, float, float, int, float]] = []   # t, mean v, std v, stopped, min v (m/s)
        self._refresh_order()

    @staticmethod
    def _dtype(name: str):
        return {"lane": np.int64, "vid": np.int64, "smart": bool, "braking": bool}.get(name, float)

    def _new_columns(self, n: int, lanes: np.ndarray, x: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
        p = self.params
        spread = p.heterogeneity
        v0 = p.v0 * (1 + self.rng.uniform(-spread, spread, n))
        if self.road.speed_limit_kmh is not None:
            v0 = np.minimum(v0, self.road.speed_limit_kmh / 3.6 * (1 + self.rng.uniform(0, spread, n)))
        cols = {
            "x": x.astype(float), "v": v.astype(float), "lane": lanes.astype(np.int64),
            "length": np.full(n, p.length), "v0": v0,
            "a": p.a * (1 + self.rng.uniform(-spread, spread, n)),
            "T": np.full(n, p.T), "s0": np.full(n, p.s0), "b": np.full(n, p.b),
            "vid": np.arange(self._next_id, self._next_id + n), "smart": np.zeros(n, bool),
            "hold_until": np.full(n, -np.inf), "braking": np.zeros(n, bool),
            "last_change": np.full(n, -np.inf), "t_in": np.full(n, self.t), "v_avg": v.astype(float),
            "moved": np.zeros(n),
        }
        self._next_id += n
        return cols

    def _append(self, cols: dict[str, np.ndarray]) -> None:
        for name in COLUMNS:
            setattr(self, name, np.concatenate((getattr(self, name), cols[name])))
        self._refresh_order()

    def _keep(self, mask: np.ndarray) -> None:
        for name in COLUMNS:
            setattr(self, name, getattr(self, name)[mask])
        self._refresh_order()

    def _place_uniform(self, n: int) -> None:
        """n vehicles spread evenly over the lanes at the equilibrium speed of their spacing."""
        lanes = self.road.lanes
        per_lane = np.full(lanes, n // lanes)
        per_lane[: n % lanes] += 1
        lane = np.repeat(np.arange(lanes), per_lane)
        rank = np.concatenate([np.arange(k) for k in per_lane])
        spacing = self.road.length / np.maximum(per_lane[lane], 1)
        x = rank * spacing + 0.5 * spacing * (lane % 2)
        v = self._equilibrium_speed(spacing - self.params.length)
        self._append(self._new_columns(n, lane, x % self.road.length, v))

    def _equilibrium_speed(self, gap: np.ndarray) -> np.ndarray:
        speeds = np.linspace(0, self.params.v0 * 0.999, 400)
        gaps = equilibrium_gap(speeds, self.params)
        return np.interp(gap, gaps, speeds)

    def _refresh_order(self) -> None:
        """Set up the hot path after vehicles were added or removed.

        Single-lane ring fast path: vehicles are kept in cyclic order (index i+1 leads i, index 0 leads
        the last) with *unwrapped* positions x_0 <= ... <= x_last <= x_0 + L, so a step needs no sort,
        no modulo and no gather: leaders are array slices. All positions shift back by L whenever the
        rear-most passes L, so x stays in [0, 2L); read `positions()` for values in [0, L).
        """
        self._fast = self.road.ring and self.road.lanes == 1
        n = self.x.size
        if self._fast and n:
            self.x %= self.road.length
            order = np.argsort(self.x, kind="stable")
            if np.any(order != np.arange(n)):
                for name in COLUMNS:
                    setattr(self, name, getattr(self, name)[order])
        self._order_hint = None
        self._x_lead = np.empty(n)
        self._v_lead = np.empty(n)
        self._gap = np.empty(n)
        self._acc = np.empty(n)
        self._tmp = np.empty(n)
        self._refresh_constants()

    def _refresh_constants(self) -> None:
        self._inv_v0 = 1.0 / self.v0
        self._inv_2sqrt_ab = 0.5 / np.sqrt(self.a * self.b)
        self._len_lead = np.roll(self.length, -1)
        self._has_smart = bool(self.smart.any())
        self._visitor_stops = bool(self.braking.any() or (self.hold_until > self.t).any())

    def positions(self) -> np.ndarray:
        """Positions along the road in [0, length) on a ring."""
        return self.x % self.road.length if self.road.ring else self.x

    # -- dynamics -----------------------------------------------------------------------------
    def step(self, dt: float) -> None:
        """Advance by dt seconds in equal sub-steps of at most max_dt."""
        if dt <= 0:
            return
        n = max(1, math.ceil(dt / self.max_dt - 1e-9))
        h = dt / n
        for _ in range(n):
            self._substep(h)

    def leaders(self):
        """(leader index, gap m, leader speed m/s) for every vehicle, with the road's walls."""
        L = self.road.length
        x = self.x
        if self._fast and x.size:
            gap, v_lead = self._ring_leaders()
            return None, gap, v_lead
        idx = build_index(self.lane, x, self.road.lane_count, 4 * L, self._order_hint)
        self._order_hint = idx.order
        lead, _ = own_neighbours(idx, self.lane, self.road.ring)
        has = lead != NO_VEHICLE
        safe = np.where(has, lead, 0)
        ahead = x[safe] - x
        if self.road.ring:   # wrap the distance between fronts first, so that an overlap stays negative
            ahead %= L
            alone = lead == np.arange(x.size)
            ahead[alone] = L
        gap = np.where(has, ahead - self.length[safe], FAR)
        v_lead = np.where(has, self.v[safe], self.v)
        for ending, end_x, receiving in self.road.zippers():
            gap, v_lead = self._heed_merging(idx, ending, end_x, receiving, gap, v_lead)
        for wall_lane, wall_x, seen in self.road.walls(not self.ramp_light_green):
            wall_gap = wall_x - x
            behind = (self.lane == wall_lane) & (wall_gap >= 0) & (wall_gap <= seen)
            closer = behind & (wall_gap < gap)
            gap = np.where(closer, wall_gap, gap)
            v_lead = np.where(closer, 0.0, v_lead)
        return lead, gap, v_lead

    def _heed_merging(self, idx, ending: int, end_x: float, receiving: int, gap, v_lead):
        """Zipper merge: receiving-lane drivers stop for the front vehicle waiting at the lane end.

        Only the front-most vehicle of the ending lane, once within ZIPPER_M of the end, is let in;
        drivers alongside it (closer than their jam distance) cannot and drive on.
        """
        if idx.count[ending] == 0:
            return gap, v_lead
        front = idx.order[idx.start[ending] + idx.count[ending] - 1]
        if self.x[front] < end_x - ZIPPER_M:
            return gap, v_lead
        z_gap = self.x[front] - self.length[front] - self.x
        closer = (self.lane == receiving) & (z_gap > self.s0) & (z_gap < gap)
        gap = np.where(closer, z_gap, gap)
        v_lead = np.where(closer, self.v[front], v_lead)
        return gap, v_lead

    def _ring_leaders(self):
        """Single-lane ring: leaders by slicing (see _refresh_order). Fills and returns buffers."""
        x, v = self.x, self.v
        xl, vl, gap = self._x_lead, self._v_lead, self._gap
        xl[:-1] = x[1:]
        xl[-1] = x[0] + self.road.length
        np.subtract(xl, x, out=gap)
        gap -= self._len_lead
        vl[:-1] = v[1:]
        vl[-1] = v[0]
        return gap, vl

    def _substep(self, h: float) -> None:
        if self.road.ramp is not None:
            self._update_light()
        if self.x.size == 0:
            gap = v_lead = self.x
        elif self._fast:
            gap, v_lead = self._ring_leaders()
        else:
            _, gap, v_lead = self.leaders()
        if gap.size == 0:
            self.t += h
            self.substeps += 1
            if not self.road.ring:
                open_road_boundaries(self, h)
            return
        gap_min = gap.min()
        if gap_min < 0.0:
            self.collisions += int((gap < 0).sum())
        v = self.v
        acc = self._idm(v, gap, v_lead, gap_min)
        if self._has_smart:
            s = self.smart
            acc[s] = smart_acceleration(v[s], gap[s], v_lead[s], self.v_avg[s], self.params, self.smart_params)
            self.v_avg[s] += (v[s] - self.v_avg[s]) * (h / self.smart_params.averaging_s)
        if self.params.noise_q > 0:
            acc += self.rng.normal(0.0, math.sqrt(self.params.noise_q / h), v.size)
        if self._visitor_stops:
            self._apply_visitor_stops(acc, h)
        np.maximum(acc, -HARD_DECEL, out=acc)
        # Ballistic update; a vehicle whose speed would turn negative stops exactly inside the step.
        v_new = acc * h
        v_new += v
        advance = np.add(v, v_new, out=self._tmp)      # x' - x = (v + v') dt / 2 when not stopping
        advance *= 0.5 * h
        if v_new.min() < 0.0:
            stopping = v_new < 0.0
            advance[stopping] = -v[stopping] ** 2 / (2.0 * acc[stopping])
            v_new[stopping] = 0.0
        # Never closer than SAFETY_MARGIN to the leader's old rear bumper (leaders never move back).
        gap -= SAFETY_MARGIN
        np.minimum(advance, gap, out=advance)
        if gap_min < SAFETY_MARGIN:
            np.maximum(advance, 0.0, out=advance)
        self.x += advance
        self.v = v_new
        if self.road.ring:
            if self._fast:
                if self.x[0] >= self.road.length:
                    self.x -= self.road.length
            else:
                self.x %= self.road.length
        self.t += h
        self.substeps += 1
        if self.measure:
            self.moved += advance
            if self.field.due(self.t):
                self._observe()
        if self.road.lane_count > 1 and self.substeps % self.lane_change_every == 0:
            self.lane_change_count += change_lanes(self, h)
        if not self.road.ring:
            open_road_boundaries(self, h)
            self.total_travel_time_s += (self.x.size + self._pending.sum()) * h
        else:
            self.total_travel_time_s += self.x.size * h

    def _idm(self, v, gap, v_lead, gap_min):
        """IDM acceleration (delta = 4) into the preallocated buffer, with per-vehicle constants:
        s* = s0 + max(0, v (T + dv / (2 sqrt(ab)))), fewest numpy calls (the 22-car ring is overhead-bound)."""
        acc, s_star = self._acc, self._tmp
        np.subtract(v, v_lead, out=s_star)
        s_star *= self._inv_2sqrt_ab
        s_star += self.T
        s_star *= v
        np.maximum(s_star, 0.0, out=s_star)
        s_star += self.s0
        s_star /= gap if gap_min >= MIN_GAP else np.maximum(gap, MIN_GAP)
        s_star *= s_star
        np.multiply(v, self._inv_v0, out=acc)
        acc *= acc
        acc *= acc
        np.subtract(1.0, acc, out=acc)
        acc -= s_star
        acc *= self.a
        return acc

    def _apply_visitor_stops(self, acc: np.ndarray, h: float) -> None:
        if not (self.braking.any() or (self.hold_until > self.t).any()):
            self._visitor_stops = False
            return
        stopped_now = self.braking & (self.v <= 1e-6)
        self.hold_until[stopped_now] = self.t + self.hold_s
        self.braking[stopped_now] = False
        np.minimum(acc, np.where(self.braking, -TAP_DECEL, np.inf), out=acc)
        held = self.hold_until > self.t
        acc[held] = np.minimum(acc[held], 0.0)

    def _update_light(self) -> None:
        ramp = self.road.ramp
        if ramp and self.ramp_metering:
            cycle = ramp.meter_green_s + ramp.meter_red_s
            self.ramp_light_green = (self.t % cycle) < ramp.meter_green_s

    def _observe(self) -> None:
        """Once per simulated second: detectors (crossings since the last call), field, samples."""
        v = self.v
        jam = bool(v.size and v.min() < STOPPED_MS)
        x, moved, lane = self.x, self.moved, self.lane
        if self.road.ramp is not None:       # detectors and the diagram see the main road only
            main = self.lane < self.road.lanes
            x, moved, v, lane = x[main], moved[main], v[main], lane[main]
        self.detectors.observe(x - moved, moved, v, self.t, self.road.length if self.road.ring else None, jam,
                               lane if self.road.lanes > 1 else None)
        self.moved[:] = 0.0
        self.field.sample(self.t, x % self.road.length if self.road.ring else x, v)
        n = self.v.size
        if n:
            mean = float(self.v.sum()) / n
            spread = math.sqrt(max(0.0, float(np.dot(self.v, self.v)) / n - mean * mean))
            self.samples.append((self.t, mean, spread, int(np.count_nonzero(self.v < STOPPED_MS)), float(self.v.min())))

    # -- read-outs ----------------------------------------------------------------------------
    def stopped_count(self) -> int:
        return int((self.v < STOPPED_MS).sum())

    def mean_speed_kmh(self) -> float:
        return float(self.v.mean() * 3.6) if self.v.size else 0.0

    def density_veh_km_lane(self) -> float:
        main = (self.lane < self.road.lanes).sum()
        return float(main / (self.road.length / 1000.0) / self.road.lanes)

    def min_gap(self) -> float:
        _, gap, _ = self.leaders()
        return float(gap.min()) if gap.size else math.inf

    def queued(self) -> float:
        return float(np.floor(self._pending).sum())

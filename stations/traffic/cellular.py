"""« Le modèle le plus simple »: the Nagel-Schreckenberg automaton (nasch.py) on a ring, dressed with the
read-outs of TrafficModel so that the station (road view, space-time diagram, fundamental diagram,
read-out, a visitor's tap, more or fewer cars) and `kiosk simulate traffic` use it unchanged.

Units outside are the station's: positions in m (a car's front is drawn near the end of its 7.5 m cell,
its body 6 m long), speeds in m/s (1 cell per 1 s step = 7.5 m/s = 27 km/h), time in s. The automaton
advances in whole steps of 1 s: a frame's time accumulates until a step is due, so the cars jump from
cell to cell. The detectors and the speed field are read after every step, as TrafficModel reads them
once per simulated second.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from .detectors import LoopDetectors, SpeedField
from .nasch import CELL_M, STEP_S, NaSchModel
from .roads import Road

CAR_M = 6.0                 # drawn length of a car inside its cell
FRONT_M = 6.75              # a car's front, from the start of its cell (0.75 m of air on each side)


@lru_cache(maxsize=8)
def fundamental_curve(p: float, vmax: int = 5, points: int = 32, cells: int = 300, steps: int = 300,
                      seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(density veh/km, flow veh/h) of the automaton for dawdling probability p. Exact without dawdling
    (q = min(vmax ρ, 1 − ρ) cars per cell per step); by simulation otherwise (each density after a
    warm-up as long as the measurement: a few tenths of a second, so the station runs it off the frame;
    computed once per process)."""
    if p == 0:
        rho = np.linspace(0.0, 1.0, 241)
        flow = np.minimum(vmax * rho, 1.0 - rho)
    else:
        rho = np.linspace(1.0 / cells, 1.0, points)
        flow = np.array([NaSchModel(cells=cells, cars=max(1, int(round(r * cells))), vmax=vmax, p=p, seed=seed)
                         .flow(steps, warmup=steps) for r in rho])
    return rho * 1000.0 / CELL_M, flow * 3600.0 / STEP_S


class CellularRing:
    """A one-lane ring of `cells` cells with `cars` cars (see module docstring)."""

    max_dt = STEP_S
    ramp_metering = False
    ramp_light_green = True
    inflow_scale = 1.0

    def __init__(self, *, cells: int = 60, cars: int = 13, p: float = 0.25, vmax: int = 5, seed: int = 0,
                 start: str = "uniform", hold_steps: int = 3, detector_positions=None,
                 detector_interval_s: float = 30.0, measure: bool = True):
        if cells < 3:
            raise ValueError("a ring needs at least 3 cells")
        self.road = Road(kind="ring", length=cells * CELL_M, lanes=1)
        self.ca = NaSchModel(cells=cells, cars=cars, vmax=vmax, p=p, seed=seed, start=start)
        self._initial = (cars, p)
        self.hold_steps = hold_steps
        self.measure = measure
        self._detector_positions = detector_positions
        self._detector_interval = detector_interval_s
        self.reset()

    def reset(self) -> None:
        self.ca.cars, self.ca.p = self._initial
        self.ca.reset()
        n = self.ca.x.size
        self.vid = np.arange(n)
        self._next_id = n
        self._acc = 0.0
        self.collisions = 0
        self.lane_change_count = 0
        self.total_travel_time_s = 0.0
        positions = self._detector_positions
        if positions is None:
            positions = (np.arange(4) * self.ca.cells // 4 + 0.5) * CELL_M
        # a detector sits between two cell starts (x.5 cells), never on a car's drawn front
        self.detectors = LoopDetectors(positions, 1, self._detector_interval)
        self.field = SpeedField(self.road.length, True, cells=self.ca.cells, sample_s=STEP_S)
        self.samples: list[tuple[float, float, float, int, float]] = []

    # -- what the automaton is, in the station's words ------------------------------------------------
    @property
    def params(self) -> tuple:
        """Identifies the fundamental-diagram curve (cached per dawdling probability)."""
        return ("nasch", self.ca.p, self.ca.vmax)

    @property
    def p(self) -> float:
        return self.ca.p

    def set_dawdling(self, p: float) -> None:
        if not 0.0 <= p <= 1.0:
            raise ValueError("p must be in [0, 1]")
        self.ca.p = float(p)

    @property
    def t(self) -> float:
        return self.ca.time * STEP_S

    @property
    def x(self) -> np.ndarray:
        return self.ca.x * CELL_M + FRONT_M

    def positions(self) -> np.ndarray:
        return self.x

    @property
    def v(self) -> np.ndarray:
        return self.ca.v * (CELL_M / STEP_S)

    @property
    def lane(self) -> np.ndarray:
        return np.zeros(self.ca.x.size, dtype=np.int64)

    @property
    def length(self) -> np.ndarray:
        return np.full(self.ca.x.size, CAR_M)

    @property
    def smart(self) -> np.ndarray:
        return np.zeros(self.ca.x.size, dtype=bool)

    @property
    def braking(self) -> np.ndarray:
        return self.ca.hold > 0

    # -- dynamics -----------------------------------------------------------------------------------
    def step(self, dt: float) -> None:
        """Advance by dt seconds: as many whole automaton steps as are due."""
        self._acc += dt
        while self._acc >= STEP_S - 1e-9:
            self._acc -= STEP_S
            self._one_step()

    def _one_step(self) -> None:
        x_old = self.x
        self.ca.step()
        n = self.ca.x.size
        self.collisions += n - np.unique(self.ca.x).size      # measured: two cars in one cell
        self.total_travel_time_s += n * STEP_S
        if not self.measure:
            return
        v = self.v
        self.detectors.observe(x_old, v * STEP_S, v, self.t, self.road.length, bool((v == 0).any()))
        self.field.sample(self.t, self.x, v)
        mean = float(v.mean())
        self.samples.append((self.t, mean, float(v.std()), int((v == 0).sum()), float(v.min())))

    # -- a visitor's actions (as TrafficModel's) --------------------------------------------------------
    def tap(self, vid: int) -> bool:
        """The car stops where it is and stays for hold_steps steps."""
        hit = np.flatnonzero(self.vid == vid)
        if hit.size == 0:
            return False
        self.ca.hold[hit[0]] = self.hold_steps
        return True

    def set_vehicle_count(self, n: int) -> None:
        n = max(1, int(n))
        while self.ca.x.size > n:
            k = int(self.ca.rng.integers(self.ca.x.size))
            self.ca.remove(k)
            self.vid = np.delete(self.vid, k)
        while self.ca.x.size < n:
            at = self.ca.insert()
            if at is None:
                break
            self.vid = np.insert(self.vid, at, self._next_id)
            self._next_id += 1

    def set_smart_car(self, on: bool) -> None:
        """The automaton has no calm car."""

    # -- read-outs --------------------------------------------------------------------------------------
    def stopped_count(self) -> int:
        return int((self.ca.v == 0).sum())

    def mean_speed_kmh(self) -> float:
        return float(self.v.mean() * 3.6) if self.ca.x.size else 0.0

    def density_veh_km_lane(self) -> float:
        return self.ca.x.size / (self.road.length / 1000.0)

    def min_gap(self) -> float:
        return float(self.ca.gaps().min() * CELL_M + (CELL_M - CAR_M))

    def queued(self) -> float:
        return 0.0

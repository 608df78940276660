"""Nagel-Schreckenberg cellular automaton (J. Phys. I France 2, 2221, 1992): the simplest traffic model.

A ring of `cells` cells of 7.5 m; each time step (1 s) every car, in parallel:
1. accelerates by one cell/step up to vmax; 2. slows to the number of empty cells ahead;
3. with probability p slows by one more (dawdling); 4. moves v cells.
Speeds in cells/step (1 cell/step = 27 km/h). Vectorised over cars: the order never changes on the ring
(index i + 1 is the leader of i, cyclically; positions are not kept sorted once a car wraps round).
`hold` counts the steps a car is kept at a standstill (a visitor's brake order at the station; zero in
the automaton proper).
"""
from __future__ import annotations

import numpy as np

CELL_M = 7.5
STEP_S = 1.0


class NaSchModel:
    def __init__(self, *, cells: int = 200, cars: int = 30, vmax: int = 5, p: float = 0.25, seed: int = 0,
                 start: str = "random"):
        if not 0 < cars <= cells:
            raise ValueError("need 0 < cars <= cells")
        if not 0.0 <= p <= 1.0:
            raise ValueError("p must be in [0, 1]")
        self.cells, self.cars, self.vmax, self.p, self.seed, self.start = cells, cars, vmax, p, seed, start
        self.reset()

    def reset(self) -> None:
        self.rng = np.random.default_rng(self.seed)
        if self.start == "uniform":
            self.x = (np.arange(self.cars) * self.cells) // self.cars
        else:
            self.x = np.sort(self.rng.choice(self.cells, size=self.cars, replace=False))
        self.v = np.zeros(self.cars, dtype=np.int64)
        self.hold = np.zeros(self.cars, dtype=np.int64)
        self.time = 0
        self.moved = 0          # total cells advanced: flow = moved / (cells * steps)

    def gaps(self) -> np.ndarray:
        """Empty cells in front of each car (the leader is the next index, cyclically)."""
        return (np.roll(self.x, -1) - self.x - 1) % self.cells

    def step(self) -> None:
        v = np.minimum(self.v + 1, self.vmax)
        np.minimum(v, self.gaps(), out=v)
        dawdle = self.rng.random(self.x.size) < self.p
        v = np.where(dawdle, np.maximum(v - 1, 0), v)
        if self.hold.any():
            v[self.hold > 0] = 0
            np.maximum(self.hold - 1, 0, out=self.hold)
        self.v = v
        self.x = (self.x + v) % self.cells
        self.moved += int(v.sum())
        self.time += 1

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()

    @property
    def density(self) -> float:
        """Cars per cell."""
        return self.x.size / self.cells

    def insert(self) -> int | None:
        """One more car, standing in the middle of the largest gap; its index, or None when no gap has
        room for a car with an empty cell on each side."""
        gaps = self.gaps()
        k = int(np.argmax(gaps))
        if gaps[k] < 3:
            return None
        at = k + 1
        self.x = np.insert(self.x, at, (self.x[k] + 1 + gaps[k] // 2) % self.cells)
        self.v = np.insert(self.v, at, 0)
        self.hold = np.insert(self.hold, at, 0)
        self.cars = self.x.size
        return at

    def remove(self, index) -> None:
        """Take the cars at `index` (int or array) off the road; the others keep their order."""
        self.x = np.delete(self.x, index)
        self.v = np.delete(self.v, index)
        self.hold = np.delete(self.hold, index)
        self.cars = self.x.size

    def flow(self, steps: int, warmup: int = 0) -> float:
        """Time-averaged flow (cars per cell per step) over `steps` after `warmup` steps."""
        self.run(warmup)
        before = self.moved
        self.run(steps)
        return (self.moved - before) / (self.cells * steps)


def fundamental_diagram(densities, *, p: float, cells: int = 1000, steps: int = 1000, warmup: int = 1000,
                        vmax: int = 5, seed: int = 0) -> np.ndarray:
    """(density, flow) rows in cars/cell and cars/cell/step."""
    rows = []
    for rho in densities:
        cars = max(1, int(round(rho * cells)))
        model = NaSchModel(cells=cells, cars=cars, vmax=vmax, p=p, seed=seed)
        rows.append((cars / cells, model.flow(steps, warmup)))
    return np.array(rows)

"""Road geometry: a ring, or an open road with inflow, an on-ramp and a lane closure.

Lanes are numbered 0 (right-most) to lanes-1 (left-most); an on-ramp, when present, is the extra lane
number `lanes`, parallel to lane 0 and ending at `ramp.merge_end`. Positions run along the road in m.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


LANE_END_VISIBILITY = 120.0   # m
ZIPPER_M = 60.0               # m before a lane end where waiting drivers are let in


@dataclass(frozen=True)
class Ramp:
    merge_start: float = 600.0       # m: start of the acceleration lane where ramp cars may merge
    merge_end: float = 800.0         # m: the ramp lane ends here (a wall for ramp cars)
    approach: float = 250.0          # m of ramp before merge_start (where the light stands)
    inflow_veh_h: float = 400.0      # ramp demand
    light_offset: float = 40.0       # m before merge_start: the ramp-metering light
    meter_green_s: float = 2.0       # metering cycle: green, then red (one or two cars per green)
    meter_red_s: float = 6.0


@dataclass(frozen=True)
class Closure:
    lane: int = 0                    # the closed lane
    start: float = 700.0             # m: roadworks begin (a wall for cars still in that lane)
    end: float = 900.0               # m: the lane opens again


@dataclass(frozen=True)
class Road:
    kind: str = "ring"               # "ring" or "open"
    length: float = 1000.0           # m (ring circumference, or open road length)
    lanes: int = 1
    inflow_veh_h: float = 0.0        # open road: main-road demand, all lanes together
    ramp: Ramp | None = None
    closure: Closure | None = None
    speed_limit_kmh: float | None = None   # caps desired speeds when set
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.kind not in ("ring", "open"):
            raise ValueError(f"road kind must be ring or open, not {self.kind!r}")
        if not 1 <= self.lanes <= 4:
            raise ValueError("lanes must be between 1 and 4")
        if self.length <= 20:
            raise ValueError("road length must exceed 20 m")
        if self.kind == "ring" and (self.ramp or self.closure):
            raise ValueError("ramps and closures need an open road")
        if self.closure and not 0 <= self.closure.lane < self.lanes:
            raise ValueError("closure lane out of range")
        if self.closure and self.lanes < 2:
            raise ValueError("a lane closure needs at least 2 lanes")

    @property
    def ring(self) -> bool:
        return self.kind == "ring"

    @property
    def lane_count(self) -> int:
        """Lanes including the ramp lane."""
        return self.lanes + (1 if self.ramp else 0)

    @property
    def ramp_lane(self) -> int:
        return self.lanes if self.ramp else -1

    def ramp_start(self) -> float:
        return self.ramp.merge_start - self.ramp.approach if self.ramp else 0.0

    def neighbours(self) -> tuple[np.ndarray, np.ndarray]:
        """(left_of, right_of): the lane a vehicle reaches by changing left/right, -1 when none.

        The ramp's only neighbour is lane 0 on its left; nobody changes into the ramp.
        """
        n = self.lane_count
        left = np.full(n, -1, dtype=np.int64)
        right = np.full(n, -1, dtype=np.int64)
        for lane in range(self.lanes):
            if lane + 1 < self.lanes:
                left[lane] = lane + 1
            if lane > 0:
                right[lane] = lane - 1
        if self.ramp:
            left[self.ramp_lane] = 0
        return left, right

    def may_enter(self, target: np.ndarray, x: np.ndarray, from_lane: np.ndarray) -> np.ndarray:
        """Whether a vehicle at x may change from `from_lane` into lane `target` (vectorised)."""
        ok = target >= 0
        if self.ramp:
            ok &= target != self.ramp_lane
            from_ramp = from_lane == self.ramp_lane
            ok &= ~from_ramp | ((x >= self.ramp.merge_start) & (x <= self.ramp.merge_end))
        if self.closure:
            c = self.closure
            ok &= ~((target == c.lane) & (x > c.start - 150.0) & (x < c.end))
        return ok

    def zippers(self) -> list[tuple[int, float, int]]:
        """(ending lane, end position m, receiving lane): receiving-lane drivers let in the vehicles
        waiting in the last ZIPPER_M metres of an ending lane (the zipper merge)."""
        found: list[tuple[int, float, int]] = []
        if self.ramp:
            found.append((self.ramp_lane, self.ramp.merge_end, 0))
        if self.closure:
            c = self.closure
            found.append((c.lane, c.start, c.lane + 1 if c.lane + 1 < self.lanes else c.lane - 1))
        return found

    def walls(self, light_red: bool) -> list[tuple[int, float, float]]:
        """Fixed obstacles as (lane, position m, visibility m): a stopped vehicle's rear bumper.

        Lane ends are only heeded in the last `visibility` metres: drivers on an acceleration lane
        keep their speed to merge, and brake for the end only when no gap came (a forced merge).
        """
        found: list[tuple[int, float, float]] = []
        if self.ramp:
            found.append((self.ramp_lane, self.ramp.merge_end, LANE_END_VISIBILITY))
            if light_red:
                found.append((self.ramp_lane, self.ramp.merge_start - self.ramp.light_offset, 1.0e6))
        if self.closure:
            found.append((self.closure.lane, self.closure.start, LANE_END_VISIBILITY))
        return found

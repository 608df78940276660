"""Measurements of a run: exits' flows, areas' density and speed, the lane order parameter.

`Probe` samples a running model every `interval` s (cheap: a few vectorised masks) and `summary()`
returns the figures the CLI prints and the validation tests check.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .model import CrowdModel
from .scenario import Area


def steady_flow(times: np.ndarray, trim: float = 0.1) -> float:
    """Persons per second between the first and last passages, the first and last `trim` left out
    (the start-up and the stragglers are not the bottleneck's capacity). 0 for fewer than 5."""
    times = np.sort(np.asarray(times, float))
    if len(times) < 5:
        return 0.0
    lo, hi = int(len(times) * trim), int(np.ceil(len(times) * (1 - trim))) - 1
    span = times[hi] - times[lo]
    return float((hi - lo) / span) if span > 0 else 0.0


def lane_order(pos: np.ndarray, direction: np.ndarray, band: float = 0.3, reach: float | None = None) -> float:
    """Rex & Löwen's lane order parameter: mean over agents of ((n_same - n_other)/(n_same + n_other))^2,
    counting neighbours within `band` sideways (and `reach` along the corridor; None = the whole
    corridor, which keeps the counts large: with a few neighbours the square of a small-sample
    difference is close to 1 even in a random mix). 1 = perfect lanes; a random mix of 40 people in
    the 20 m x 4 m corridor gives 0.1-0.35. direction: +1 / -1 per agent (walking east or west)."""
    if len(pos) < 2:
        return 0.0
    dy = np.abs(pos[:, None, 1] - pos[None, :, 1])
    dx = np.abs(pos[:, None, 0] - pos[None, :, 0])
    near = dy < band if reach is None else (dy < band) & (dx < reach)
    np.fill_diagonal(near, False)
    same = direction[:, None] == direction[None, :]
    n_same = (near & same).sum(axis=1)
    n_other = (near & ~same).sum(axis=1)
    total = n_same + n_other
    has = total > 0
    if not has.any():
        return 0.0
    return float((((n_same - n_other)[has] / total[has]) ** 2).mean())


@dataclass
class Probe:
    areas: list[Area]
    interval: float = 0.1
    warmup: float = 0.0
    next_time: float = 0.0
    density: dict[str, list[float]] = field(default_factory=dict)
    speed: dict[str, list[float]] = field(default_factory=dict)

    def sample(self, model: CrowdModel) -> None:
        if model.time + 1e-9 < self.next_time:
            return
        self.next_time = model.time + self.interval
        if model.time < self.warmup:
            return
        speeds = model.speeds()
        for area in self.areas:
            inside = area.contains(model.pos)
            self.density.setdefault(area.name, []).append(float(inside.sum()) / area.size)
            if inside.any():
                self.speed.setdefault(area.name, []).append(float(speeds[inside].mean()))

    def area_summary(self) -> list[dict]:
        return [{"name": a.name,
                 "density_per_m2": _mean(self.density.get(a.name, [])),
                 "speed_m_s": _mean(self.speed.get(a.name, []))} for a in self.areas]


def area_reading(model: CrowdModel, area: Area) -> tuple[float, float | None]:
    """Persons per m² in the area now, and their mean speed (None when it is empty)."""
    inside = area.contains(model.pos)
    speed = float(model.speeds()[inside].mean()) if inside.any() else None
    return float(inside.sum()) / area.size, speed


def _mean(values: list[float]) -> float | None:
    return round(float(np.mean(values)), 4) if values else None


def evacuation_time(model: CrowdModel) -> float | None:
    """Time of the last passage once nobody is left; None while people remain."""
    if model.count > 0 or model.period is not None:
        return None
    return round(max((p[0] for p in model.passages), default=0.0), 3)


def exit_summary(model: CrowdModel) -> list[dict]:
    rows = []
    for k, ex in enumerate(model.geometry.exits):
        times = np.array([t for t, e, _ in model.passages if e == k])
        flow = steady_flow(times)
        rows.append({"name": ex.name, "persons": int(len(times)), "flow_per_s": round(flow, 4),
                     "specific_flow_per_m_s": round(flow / ex.width, 4) if ex.width > 0 else 0.0})
    return rows


def summary(model: CrowdModel, probe: Probe, wall_time_s: float) -> dict:
    return {
        "evacuation_time_s": evacuation_time(model),
        "agents_remaining": int(model.count),
        "simulated_s": round(model.time, 3),
        "exits": exit_summary(model),
        "max_overlap_m": round(max(model.max_overlap, model.max_wall_overlap), 4),
        "wall_crossings": int(model.wall_crossings),
        "areas": probe.area_summary(),
        "wall_time_s": round(wall_time_s, 3),
    }

"""Corridors measured as pedestrian-dynamics experiments are: trajectories at 10 frames/s, PedPy's
Voronoi density and speed in a measurement area (Steffen & Seyfried 2010; Zhang et al. 2011).

- `one_way(density)`: a periodic corridor 30 m x 4 m, everyone walking east (Weidmann's diagram);
- `two_way_periodic(density)`: the same with half walking each way (Zhang et al., J. Stat. Mech.
  2012 P02002, bidirectional flow);
- `two_way_blocks(width, density)`: a 60 m corridor, two blocks of 25 m walking into each other;
- `rotated(angle)`: a 20 m x 2.5 m corridor walked end to end, built at any angle.

PedPy is a test dependency: the product never imports it.
"""
from __future__ import annotations

import numpy as np

from stations.crowd.measure import lane_order
from stations.crowd.scenario import parse_scenario

from tests.crowd import candidates

FPS = 10


def weidmann_speed(density: float, v_free: float = 1.34) -> float:
    """Weidmann (1993): v = v_free (1 - exp(-1.913 (1/rho - 1/5.4)))."""
    return v_free * (1 - np.exp(-1.913 * (1 / density - 1 / 5.4)))


def corridor(length: float, width: float, spawns: list[tuple[str, tuple, int]], periodic: bool):
    """spawns: (destination 'E' or 'W', rect, count)."""
    data = {"walls": [{"points": [[0, 0], [length, 0]]}, {"points": [[0, width], [length, width]]}],
            "exits": [{"name": "e", "line": [[length, 0], [length, width]]},
                      {"name": "w", "line": [[0, 0], [0, width]]}],
            "destinations": [{"name": "E", "exits": ["e"]}, {"name": "W", "exits": ["w"]}],
            "spawns": [{"name": f"s{k}", "rect": list(rect), "count": count, "destination": dest}
                       for k, (dest, rect, count) in enumerate(spawns) if count]}
    if periodic:
        data["periodic"] = {"x": [0, length]}
    return parse_scenario(data, "corridor")


def _model(variant: str, overrides: dict | None) -> dict:
    cls, base = candidates.overrides(variant)
    return {"model_class": cls, "overrides": {**base, **(overrides or {})}}


def record(model, seconds: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(ident, frame, x, y) rows every 1/FPS s, and the same with x unwrapped across the period."""
    every = max(1, round(1 / (FPS * model.dt)))
    rows, unwrapped = [], []
    last = {int(k): (float(x), float(x)) for k, x in zip(model.ident, model.pos[:, 0])}
    for frame in range(int(seconds * FPS)):
        ids = model.ident.copy()
        x, y = model.pos[:, 0].copy(), model.pos[:, 1].copy()
        ux = np.array([last[int(k)][1] for k in ids]) if model.period is not None else x
        if model.period is not None:
            prev = np.array([last[int(k)][0] for k in ids])
            step = x - prev
            step -= model.period_x * np.round(step / model.period_x)
            ux = ux + step
            last.update({int(k): (float(a), float(b)) for k, a, b in zip(ids, x, ux)})
        rows.append(np.c_[ids, np.full(len(ids), frame), x, y])
        unwrapped.append(np.c_[ids, np.full(len(ids), frame), ux, y])
        for _ in range(every):
            model.step()
    return np.vstack(rows), np.vstack(unwrapped), model.group.copy(), model.ident.copy()


def voronoi(rows: np.ndarray, unwrapped: np.ndarray, walk_box: tuple, area_box: tuple,
            direction: dict[int, float] | None = None) -> tuple[float, float]:
    """Mean Voronoi density (1/m²) and speed (m/s) in the measurement area over all frames.
    Speeds are along each person's walking direction (+x, or -x for `direction[id] = -1`)."""
    import pandas as pd
    import pedpy

    def frame_data(arr):
        df = pd.DataFrame(arr, columns=["id", "frame", "x", "y"])
        df[["id", "frame"]] = df[["id", "frame"]].astype(int)
        return pedpy.TrajectoryData(data=df, frame_rate=FPS)

    x0, y0, x1, y1 = walk_box
    walkable = pedpy.WalkableArea([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    ax0, ay0, ax1, ay1 = area_box
    area = pedpy.MeasurementArea([(ax0, ay0), (ax1, ay0), (ax1, ay1), (ax0, ay1)])
    traj = frame_data(rows)
    # no cut-off: cut cells would leave parts of a sparse area uncovered (counted as standing still)
    polygons = pedpy.compute_individual_voronoi_polygons(traj_data=traj, walkable_area=walkable)
    density, intersection = pedpy.compute_voronoi_density(individual_voronoi_data=polygons, measurement_area=area)
    speed = pedpy.compute_individual_speed(traj_data=frame_data(unwrapped), frame_step=5, compute_velocity=True,
                                           speed_calculation=pedpy.SpeedCalculation.BORDER_SINGLE_SIDED)
    sign = speed["id"].map(direction).fillna(1.0) if direction else 1.0
    speed["speed"] = speed["v_x"] * sign
    voronoi_speed = pedpy.compute_voronoi_speed(traj_data=traj, individual_speed=speed,
                                                individual_voronoi_intersection=intersection,
                                                measurement_area=area)
    return float(density["density"].mean()), float(voronoi_speed["speed"].mean())


def one_way(density: float, seed: int = 0, overrides: dict | None = None, warmup: float = 20.0,
            seconds: float = 20.0, variant: str = "headway") -> dict:
    """Weidmann's diagram: a periodic corridor 30 m x 4 m, everyone walking east, PedPy's Voronoi
    density and speed in 10 m x 4 m in the middle."""
    length, width = 30.0, 4.0
    count = int(round(density * length * width))
    model = corridor(length, width, [("E", (0, 0, length, width), count)], True).build(
        seed=seed, **_model(variant, overrides))
    model.advance(warmup)
    model.max_overlap = model.max_wall_overlap = 0.0
    rows, unwrapped, _, _ = record(model, seconds)
    rho, v = voronoi(rows, unwrapped, (0, 0, length, width), (10, 0, 20, width))
    return {"density": density, "voronoi_density": rho, "speed": v,
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}


def two_way_periodic(density: float, seed: int = 0, overrides: dict | None = None, warmup: float = 30.0,
                     seconds: float = 20.0, variant: str = "headway") -> dict:
    """Zhang et al. (2012)'s bidirectional diagram: the same corridor, half walking each way."""
    length, width = 30.0, 4.0
    count = int(round(density * length * width))
    box = (0, 0, length, width)
    model = corridor(length, width, [("E", box, count - count // 2), ("W", box, count // 2)], True).build(
        seed=seed, **_model(variant, overrides))
    model.advance(warmup)
    model.max_overlap = model.max_wall_overlap = 0.0
    direction = {int(k): (1.0 if g == 0 else -1.0) for k, g in zip(model.ident, model.group)}
    order = lane_order(model.pos, np.where(model.group == 0, 1, -1))
    rows, unwrapped, _, _ = record(model, seconds)
    rho, v = voronoi(rows, unwrapped, box, (10, 0, 20, width), direction)
    return {"density": density, "voronoi_density": rho, "speed": v, "order": order,
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}


BLOCK_LENGTH, CORRIDOR_LENGTH = 25.0, 60.0


SLOW_WALKER = 1.34 - 1.645 * 0.26      # m/s: 95 % of free walking speeds are above this (Weidmann)


def crossing_bound(density: float) -> float:
    """Seconds within which 95 % must have arrived: the corridor's whole length walked by the slowest
    5 % at Weidmann's speed for the density both blocks make together where they cross (2 x density)."""
    return CORRIDOR_LENGTH / (weidmann_speed(min(2 * density, 4.5)) * SLOW_WALKER / 1.34)


def sorted_into_two_lanes(pos: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """The directions (+1 / -1) the same positions would have in two perfect lanes: each group keeps its
    number and its side of the corridor, and the border between them is straight."""
    east = direction == 1
    east_low = pos[east, 1].mean() < pos[~east, 1].mean()
    order = np.argsort(pos[:, 1] if east_low else -pos[:, 1])
    ideal = -np.ones(len(pos), int)
    ideal[order[:east.sum()]] = 1
    return ideal


def two_way_blocks(width: float, density: float, seed: int = 0, overrides: dict | None = None,
                   variant: str = "headway") -> dict:
    """Two blocks 25 m long at `density` walk into each other in a 60 m corridor (exits at both
    ends). Lane order (Rex & Löwen) every second among the people where both groups are, while they
    cross; the share that has arrived by `crossing_bound(density)`. `perfect`: the order the same
    positions would give sorted into two perfect lanes (how high the order can go at that crowding:
    the people within `band` of a straight border count as mixed even then)."""
    count = int(round(density * BLOCK_LENGTH * width))
    east = ("E", (1.0, 0, 1.0 + BLOCK_LENGTH, width), count)
    west = ("W", (CORRIDOR_LENGTH - 1.0 - BLOCK_LENGTH, 0, CORRIDOR_LENGTH - 1.0, width), count)
    model = corridor(CORRIDOR_LENGTH, width, [east, west], False).build(seed=seed, **_model(variant, overrides))
    bound = crossing_bound(density)
    orders, perfect = [], []
    while model.count and model.time < bound:
        model.advance(1.0)
        e, w = model.group == 0, model.group == 1
        if e.sum() < 5 or w.sum() < 5:
            continue
        lo = max(np.percentile(model.pos[e, 0], 10), np.percentile(model.pos[w, 0], 10))
        hi = min(np.percentile(model.pos[e, 0], 90), np.percentile(model.pos[w, 0], 90))
        if hi - lo < 3.0:
            continue
        inside = (model.pos[:, 0] >= lo) & (model.pos[:, 0] <= hi)
        if (inside & e).sum() >= 3 and (inside & w).sum() >= 3:
            direction = np.where(model.group[inside] == 0, 1, -1)
            orders.append(lane_order(model.pos[inside], direction))
            perfect.append(lane_order(model.pos[inside], sorted_into_two_lanes(model.pos[inside], direction)))
    arrived = 1 - model.count / (2 * count)
    return {"width": width, "density": density, "people": 2 * count, "arrived": arrived, "bound": bound,
            "order": float(np.median(orders)) if orders else None, "orders": orders,
            "perfect": float(np.median(perfect)) if perfect else None,
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}


def rotated(angle_deg: float, seed: int = 0, people: int = 40, overrides: dict | None = None,
            variant: str = "headway") -> dict:
    """A corridor 20 m x 2.5 m turned by angle_deg, `people` walking from its first 10 m out of its far
    end: mean and last arrival times (the same corridor must walk the same at any angle)."""
    length, width = 20.0, 2.5
    c, s = np.cos(np.radians(angle_deg)), np.sin(np.radians(angle_deg))

    def turn(x, y):
        return [5 + c * x - s * y, 5 + s * x + c * y]

    data = {"walls": [{"points": [turn(length, 0), turn(0, 0), turn(0, width), turn(length, width)]}],
            "exits": [{"name": "fin", "line": [turn(length, 0), turn(length, width)]}]}
    model = parse_scenario(data, "rotated").build(seed=seed, **_model(variant, overrides))
    rng = np.random.default_rng(seed)
    # the same start in the corridor's own frame at every angle
    local = np.c_[rng.uniform(0.4, 10.0, 20 * people), rng.uniform(0.4, width - 0.4, 20 * people)]
    keep = [0]
    for k in range(1, len(local)):
        if len(keep) < people and np.min(np.hypot(*(local[keep] - local[k]).T)) > 0.62:
            keep.append(k)
    start = np.array([turn(x, y) for x, y in local[keep]])
    model.add_agents(start, v0=np.clip(rng.normal(1.34, 0.26, len(start)), 0.5, 2.2))
    while model.count and model.time < 120:
        model.step()
    times = np.array([p[0] for p in model.passages])
    return {"angle": angle_deg, "mean": float(times.mean()) if len(times) else None,
            "last": float(times.max()) if len(times) == len(start) else None, "people": len(start),
            "overlap": max(model.max_overlap, model.max_wall_overlap), "crossings": int(model.wall_crossings)}
